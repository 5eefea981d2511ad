// Package dossier holds the built-in theme: the layouts/ and assets/ folders
// of this repository, embedded so that the dossier binary works on any site
// folder. The generator itself lives in generator/.
package dossier

import "embed"

// DefaultTheme holds layouts/, assets/ and archetypes/ of the built-in theme.
//
//go:embed layouts assets archetypes
var DefaultTheme embed.FS
