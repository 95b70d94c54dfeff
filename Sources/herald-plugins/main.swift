import PluginHost

// The plugin host Herald runs as a pool of child processes. `generatedPlugins` is written at
// build time by the PluginRegistry build-tool plugin from the plugin modules listed in
// Package.swift (see `make plugins`); it is not committed.
PluginHostMain.serve(generatedPlugins)
