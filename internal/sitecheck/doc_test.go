// Package sitecheck_test checks the example site as a reader's browser
// shows it: axe-core on every page in light and dark, the compact menu and
// page widths at 390 px, the share button, and the screenshots of
// `make shots`. The tests drive headless Chromium, so they live in a
// package of their own, with a test timeout of their own.
package sitecheck_test
