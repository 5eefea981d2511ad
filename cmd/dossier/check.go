package main

import (
	"fmt"
	"io"

	"github.com/dossier-ssg/dossier/generator"
)

func init() { commands["check"] = cmdCheck }

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", `Usage: dossier check [flags]

Validates a site without writing anything: every reference in the content
(front matter, quotes, [[links]]), then every internal link, #anchor, image,
script and stylesheet of the built pages, the feed and the sitemap. Lists
each problem with its page and link, and exits 1 if there is any.

Examples:
  dossier check
  dossier check --source ~/sites/news --base-url https://example.org/dossiers/

Flags:
`, stderr)
	var s siteFlags
	s.register(fs, false)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	problems, warnings, err := generator.Check(s.options())
	if err != nil {
		return reportErrors(stderr, err)
	}
	printWarnings(stderr, warnings)
	for _, p := range problems {
		fmt.Fprintln(stderr, p.String())
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "check failed: %d broken links\n", len(problems))
		return 1
	}
	fmt.Fprintln(stdout, "check passed: content and every internal link resolve")
	return 0
}
