import MisbehavingPlugins
import PluginHost

// Hand-written registry: these plugins exist only for the crash-isolation tests and are never
// linked into herald-plugins.
PluginHostMain.serve([Healthy.self, Trap.self, Hang.self, Garbage.self, ExitPlugin.self])
