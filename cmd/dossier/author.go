package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

func init() {
	commands["new"] = cmdNew
	commands["import"] = cmdImport
}

func cmdNew(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("new", `Usage: dossier new dossier|actor|treaty SLUG [flags]

Writes a new file with the right front matter and placeholders, from the
site's archetypes/<kind>.md or the built-in one. Refuses to overwrite and
checks the slug (lower-case letters, digits, hyphens).

Examples:
  dossier new dossier russie-coree-du-nord-pacte-2024
  dossier new actor kim-jong-un
  dossier new treaty russia-dprk-partnership-2024 --source ~/sites/news

Flags:
`, stderr)
	source := fs.String("source", ".", "the site `folder`")
	if err := fs.Parse(reorder(args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	files, err := generator.NewContent(*source, dossier.DefaultTheme, fs.Arg(0), fs.Arg(1), time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "dossier new:", err)
		return 1
	}
	for _, f := range files {
		fmt.Fprintln(stdout, "created", f)
	}
	return 0
}

func cmdImport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("import", `Usage: dossier import FILE --slug SLUG [flags]

Turns a raw article text (pasted or scraped) into a draft dossier:
content/dossiers/SLUG/index.md and quotes.md. It removes scraping debris
(repeated headlines, PREV/NEXT lines, photo credits, stray characters), keeps
paragraphs, finds quotations with their speakers among the site's actors, and
marks with TODO what a curator must decide. It never overwrites a dossier.

Examples:
  dossier import article.txt --slug russie-coree-du-nord-pacte-2024 --date 2024-06-19

Flags:
`, stderr)
	source := fs.String("source", ".", "the site `folder`")
	slug := fs.String("slug", "", "the new dossier's `slug` (required)")
	date := fs.String("date", "", "the dossier's `date` (YYYY-MM-DD); left as TODO when empty")
	if err := fs.Parse(reorder(args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 || *slug == "" {
		fs.Usage()
		return 2
	}
	res, err := generator.Import(*source, fs.Arg(0), *slug, *date)
	if err != nil {
		fmt.Fprintln(stderr, "dossier import:", err)
		return 1
	}
	for _, f := range res.Files {
		fmt.Fprintln(stdout, "created", f)
	}
	fmt.Fprintf(stdout, "%d quotes found", len(res.Quotes))
	speakers := map[string]int{}
	for _, q := range res.Quotes {
		if q.Speaker != "" {
			speakers[q.Speaker]++
		}
	}
	if len(speakers) > 0 {
		var parts []string
		for _, s := range sortedNames(speakers) {
			parts = append(parts, fmt.Sprintf("%s %d", s, speakers[s]))
		}
		fmt.Fprintf(stdout, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintln(stdout)
	for _, r := range res.Removed {
		fmt.Fprintln(stdout, "removed:", r)
	}
	for _, a := range res.ProposedActors {
		fmt.Fprintf(stdout, "unknown speaker %q: create it with  dossier new actor <slug>\n", a)
	}
	return 0
}

func sortedNames(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// reorder moves flags before positional arguments, so "new actor x --source
// y" works as users type it (the flag package stops at the first argument).
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && a != "-" {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && !isBoolFlag(a) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func isBoolFlag(a string) bool {
	name := strings.TrimLeft(a, "-")
	return name == "h" || name == "help" || name == "relative" || name == "minify" || name == "drafts"
}
