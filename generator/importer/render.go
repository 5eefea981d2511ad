package importer

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/dossier-ssg/dossier/generator/markdown"
)

// noDate stands for a date the importer does not know. It is not a valid
// date, so the build reports it until the curator fills it in.
const noDate = "0000-00-00"

// renderIndex writes index.md: front matter, then the body paragraphs.
func renderIndex(title, date, lang string, actors []string, body []string) []byte {
	var b strings.Builder
	b.WriteString("---\n")
	if title == "" {
		b.WriteString("title: \"TODO\" # TODO: titre\n")
	} else {
		fmt.Fprintf(&b, "title: %s\n", yamlQuote(title))
	}
	if date == "" {
		fmt.Fprintf(&b, "date: %s # TODO: date de l'article (AAAA-MM-JJ)\n", noDate)
	} else {
		fmt.Fprintf(&b, "date: %s\n", date)
	}
	fmt.Fprintf(&b, "lang: %s\n", lang)
	b.WriteString("summary: \"TODO\"\n")
	b.WriteString("source: { publisher: \"TODO\" }\n")
	b.WriteString("actors: [")
	for i, a := range actors {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(yamlSlug(a))
	}
	b.WriteString("]\ntreaties: []\ntags: []\ndraft: true\n---\n")
	for _, p := range body {
		b.WriteString("\n")
		if rest, ok := strings.CutPrefix(p, CaptionMarker+"\n"); ok {
			b.WriteString(CaptionMarker + "\n")
			p = rest
		}
		b.WriteString(escapeBlock(p))
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// renderQuotes writes quotes.md in the content-model format. TODO comments
// stand on their own lines right before the blockquote they concern, where
// the quotes parser allows them.
func renderQuotes(quotes []found, date string) []byte {
	var b strings.Builder
	if len(quotes) == 0 {
		b.WriteString("<!-- TODO: aucune citation trouvée : ajouter les citations clés ici -->\n")
		return []byte(b.String())
	}
	if date == "" {
		date = noDate
		b.WriteString("<!-- TODO: date inconnue : remplacer " + noDate + " par la date de chaque citation -->\n\n")
	}
	for i, q := range quotes {
		if i > 0 {
			b.WriteString("\n")
		}
		slug := q.Speaker
		switch q.how {
		case byRole, byContext:
			if slug != "" {
				note := ""
				if q.how == byContext {
					note = " (déduit du contexte)"
				}
				writeComment(&b, fmt.Sprintf("TODO: vérifier le locuteur : « %s » → %s%s", cmp.Or(q.hint, q.SpeakerName), slug, note))
				break
			}
			fallthrough
		case byPartial:
			if slug != "" {
				note := "nom partiel"
				if others := q.candidates[1:]; len(others) > 0 {
					note = "nom ambigu, aussi : " + strings.Join(others, ", ")
				}
				writeComment(&b, fmt.Sprintf("TODO: vérifier le locuteur : « %s » → %s (%s)", q.SpeakerName, slug, note))
				break
			}
			slug = markdown.Slugify(q.SpeakerName)
			writeComment(&b, fmt.Sprintf("TODO: locuteur ambigu « %s » : remplacer [[%s]] par l'un de %s", q.SpeakerName, slug, strings.Join(q.candidates, ", ")))
		case byUnknown:
			if q.SpeakerName != "" {
				slug = markdown.Slugify(q.SpeakerName)
				writeComment(&b, fmt.Sprintf("TODO: locuteur inconnu « %s » : créer l'acteur ou corriger", q.SpeakerName))
				break
			}
			fallthrough
		case byUnresolved, byNone:
			if q.hint != "" {
				writeComment(&b, fmt.Sprintf("TODO: locuteur à identifier (« %s »)", q.hint))
			} else {
				writeComment(&b, "TODO: locuteur à identifier")
			}
		}
		if slug == "" {
			slug = "todo"
		}
		for j, part := range strings.Split(q.Text, "\n\n") {
			if j > 0 {
				b.WriteString(">\n")
			}
			fmt.Fprintf(&b, "> %s\n", escapeBlock(part))
		}
		fmt.Fprintf(&b, ">\n> — [[%s]], %s, TODO: contexte\n", slug, date)
	}
	return []byte(b.String())
}

// writeComment writes an HTML comment line; "--" cannot occur in one.
func writeComment(b *strings.Builder, text string) {
	text = strings.ReplaceAll(strings.Join(strings.Fields(text), " "), "--", "–")
	b.WriteString("<!-- " + text + " -->\n")
}

var slugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

func yamlSlug(s string) string {
	if slugRe.MatchString(s) {
		return s
	}
	return yamlQuote(s)
}

// yamlQuote writes s as a YAML double-quoted scalar.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\u0085':
			b.WriteString(`\N`)
		case '\u2028':
			b.WriteString(`\L`)
		case '\u2029':
			b.WriteString(`\P`)
		default:
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0xfeff || r == 0xfffe || r == 0xffff {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

var (
	// Line starts that Markdown would read as a heading, list, quote,
	// fence, thematic break or HTML.
	blockStartRe = regexp.MustCompile(`^(?:#|>|<|[-+*](?:\s|$)|=+\s*$|` + "```" + `|~~~|\d{1,9}[.)](?:\s|$))`)
	orderedRe    = regexp.MustCompile(`^(\d{1,9})([.)])`)
)

// escapeBlock escapes what would turn a plain paragraph into other Markdown:
// a block marker at the start, and "[[" (a wikilink). Line breaks become
// spaces.
func escapeBlock(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
	s = strings.ReplaceAll(s, "[[", `\[\[`)
	if blockStartRe.MatchString(s) {
		if m := orderedRe.FindStringSubmatchIndex(s); m != nil {
			return s[:m[4]] + `\` + s[m[4]:]
		}
		if r := []rune(s)[0]; r < unicode.MaxASCII {
			return `\` + s
		}
	}
	return s
}
