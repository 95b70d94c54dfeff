import Channels
import Foundation
import Yams

extension ConfigurationLoader {
    /// The job-file keys naming Mustache templates for the email parts, relative to Herald's home.
    static let emailTemplateKeys = ["email_template_html", "email_template_text"]

    /// Reads a job's `email_template_html:` / `email_template_text:` files and checks they parse, so a
    /// broken template is an error at its key in `herald check`, not a surprise at send time. Nil when
    /// the job names neither (the built-in layouts are used).
    func readEmailTemplates(_ fields: [String: (key: Node, value: Node)], file: String, reader: inout ConfigReader) -> MessageTemplates? {
        var templates = MessageTemplates()
        for key in Self.emailTemplateKeys {
            guard let node = fields[key]?.value, let path = reader.string(node, file: file, what: key) else { continue }
            let url = resolve(path, against: reader.substitution.home)
            let source: String
            do {
                source = try String(contentsOf: url, encoding: .utf8)
            } catch {
                reader.error(file, node, "\(key): cannot read \(display(url)): \(error.localizedDescription)")
                continue
            }
            do {
                try MessageTemplates.validate(source)
            } catch {
                reader.error(file, node, "\(key): \(display(url)) is \(error.message)")
                continue
            }
            if key == "email_template_html" { templates.html = source } else { templates.text = source }
        }
        return templates.html == nil && templates.text == nil ? nil : templates
    }
}
