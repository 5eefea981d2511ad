package parse

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
)

// RawQuote is one quote of a quotes.md before its Markdown is parsed.
type RawQuote struct {
	Text      []byte // the quote's Markdown, "> " prefixes removed
	TextLine  int    // file line of the text's first line
	Indent    []int  // per text line, bytes of "> " removed
	Speaker   string // the [[…]] target: a slug or an alias
	SpeakerAt diag.Pos
	Date      model.Date
	Undated   bool   // "undated" in place of the date
	Kind      string // model.QuoteFull, QuoteFragment or QuoteReported
	Key       bool   // {key}
	SourceURL string // {source=https://…}
	Context   []byte // the rest of the attribution line, Markdown
	ContextAt diag.Pos
	Pos       diag.Pos // the quote's first line
}

// Quotes parses content/dossiers/<slug>/quotes.md.
func (p *Parser) Quotes(f load.File, errs *diag.List) []*model.Quote {
	lang, ok := p.fileLang(f, errs)
	if !ok {
		return nil
	}
	raws := ParseQuotes(f.Path, f.Data, errs)
	quotes := make([]*model.Quote, 0, len(raws))
	used := map[string]int{}
	for _, r := range raws {
		text, ok := p.markdown(r.Text, lang, diag.Pos{File: f.Path, Line: r.TextLine, Col: 1}, errs)
		if !ok {
			continue
		}
		q := &model.Quote{
			Speaker:   model.Ref{Slug: r.Speaker, Pos: r.SpeakerAt},
			Date:      r.Date,
			Undated:   r.Undated,
			Kind:      r.Kind,
			Key:       r.Key,
			SourceURL: r.SourceURL,
			Pos:       r.Pos,
			Lang:      lang,
			Text: model.Body{File: f.Path, Src: r.Text, FirstLine: r.TextLine, Indent: r.Indent,
				Doc: text},
		}
		if len(r.Context) > 0 {
			ctxDoc, ok := p.markdown(r.Context, lang, r.ContextAt, errs)
			if !ok {
				continue
			}
			q.Context = model.Body{File: f.Path, Src: r.Context, FirstLine: r.ContextAt.Line,
				Indent: []int{r.ContextAt.Col - 1}, Inline: true, Doc: ctxDoc}
		}
		q.ID = quoteID(r, used)
		quotes = append(quotes, q)
	}
	return quotes
}

// quoteID makes an anchor that survives reordering and edits elsewhere in the
// file: speaker, date and the first words, numbered only on a clash.
func quoteID(r RawQuote, used map[string]int) string {
	words := strings.Fields(markdown.Slugify(string(r.Text)) + " ")
	first := strings.Join(strings.Split(strings.Join(words, ""), "-")[:min(4, len(strings.Split(strings.Join(words, ""), "-")))], "-")
	date := r.Date.ISO()
	if r.Undated {
		date = "undated"
	}
	id := markdown.Slugify(r.Speaker) + "-" + date
	if first != "" {
		id += "-" + first
	}
	used[id]++
	if n := used[id]; n > 1 {
		id = fmt.Sprintf("%s-%d", id, n)
	}
	return id
}

// ParseQuotes reads the quotes format: each quote is a blockquote whose last
// line is an attribution "— [[speaker]], YYYY-MM-DD[, context]". Headings and
// HTML comments between quotes are allowed; other text is an error, since it
// would silently vanish from the site.
func ParseQuotes(file string, data []byte, errs *diag.List) []RawQuote {
	var quotes []RawQuote
	lines := strings.Split(string(data), "\n")
	inComment := false
	for i := 0; i < len(lines); {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case inComment:
			inComment = !strings.Contains(line, "-->")
			i++
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			i++
		case strings.HasPrefix(trimmed, "<!--"):
			inComment = !strings.Contains(trimmed[4:], "-->")
			i++
		case isQuoteLine(line):
			start := i
			for i < len(lines) && isQuoteLine(lines[i]) {
				i++
			}
			if q, ok := parseQuoteBlock(file, lines[start:i], start+1, errs); ok {
				quotes = append(quotes, q)
			}
		default:
			errs.Add(diag.Pos{File: file, Line: i + 1, Col: 1}, "text outside a quote: every quote is a blockquote (lines starting with \">\") ending with an attribution line \"— [[speaker]], 2024-06-19\"")
			for i < len(lines) && strings.TrimSpace(lines[i]) != "" && !isQuoteLine(lines[i]) {
				i++
			}
		}
	}
	return quotes
}

func isQuoteLine(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " "), ">") && len(line)-len(strings.TrimLeft(line, " ")) < 4
}

// stripQuoteMarker removes up to three spaces, ">" and one optional space,
// and says how many bytes went.
func stripQuoteMarker(line string) (string, int) {
	n := len(line) - len(strings.TrimLeft(line, " "))
	n++ // ">"
	if n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	if n > len(line) {
		n = len(line)
	}
	return line[n:], n
}

// attributionDashes start an attribution line; the em dash is canonical, the
// others are what keyboards and converters produce instead.
var attributionDashes = []string{"—", "―", "–", "--", "-"}

func parseQuoteBlock(file string, block []string, firstLine int, errs *diag.List) (RawQuote, bool) {
	q := RawQuote{Pos: diag.Pos{File: file, Line: firstLine, Col: 1}, TextLine: firstLine}
	texts := make([]string, len(block))
	indents := make([]int, len(block))
	for i, l := range block {
		texts[i], indents[i] = stripQuoteMarker(l)
	}
	last := len(texts) - 1
	for last >= 0 && strings.TrimSpace(texts[last]) == "" {
		last--
	}
	if last < 0 {
		errs.Add(q.Pos, "empty quote")
		return q, false
	}
	attrLine := firstLine + last
	attrCol := indents[last] + 1
	attr, flagsOK := quoteFlags(&q, texts[last], diag.Pos{File: file, Line: attrLine, Col: attrCol}, errs)
	lead := len(attr) - len(strings.TrimLeft(attr, " "))
	body := strings.TrimLeft(attr, " ")
	dash := ""
	for _, d := range attributionDashes {
		if strings.HasPrefix(body, d) {
			dash = d
			break
		}
	}
	if dash == "" || last == 0 {
		errs.Add(diag.Pos{File: file, Line: attrLine, Col: attrCol}, "quote has no attribution: its last line must be \"— [[speaker]], 2024-06-19\" (em dash, speaker, date)")
		return q, false
	}
	col := attrCol + lead + len(dash)
	rest := body[len(dash):]
	sp := len(rest) - len(strings.TrimLeft(rest, " \u00a0"))
	rest, col = rest[sp:], col+sp
	ok := flagsOK
	if !strings.HasPrefix(rest, "[[") {
		errs.Add(diag.Pos{File: file, Line: attrLine, Col: col}, "attribution must name the speaker as a link, e.g. — [[vladimir-putin]], 2024-06-19")
		return q, false
	}
	end := strings.Index(rest, "]]")
	if end < 0 {
		errs.Add(diag.Pos{File: file, Line: attrLine, Col: col}, "unclosed [[ in attribution")
		return q, false
	}
	target, _, _, valid := markdown.ParseWikiTarget(rest[2:end])
	if !valid {
		errs.Add(diag.Pos{File: file, Line: attrLine, Col: col}, "invalid speaker link %q", rest[:end+2])
		return q, false
	}
	q.Speaker, q.SpeakerAt = target, diag.Pos{File: file, Line: attrLine, Col: col}
	rest, col = rest[end+2:], col+end+2
	dateStr, dateCol := "", col
	if strings.HasPrefix(rest, ",") {
		rest, col = rest[1:], col+1
		sp := len(rest) - len(strings.TrimLeftFunc(rest, unicode.IsSpace))
		rest, col = rest[sp:], col+sp
		dateCol = col
		n := strings.IndexByte(rest, ',')
		if n < 0 {
			n = len(rest)
		}
		dateStr = strings.TrimSpace(rest[:n])
		rest, col = rest[n:], col+n
	}
	if dateStr == "" && strings.TrimSpace(rest) != "" && !strings.HasPrefix(rest, ",") {
		errs.Add(diag.Pos{File: file, Line: attrLine, Col: dateCol}, "attribution needs a comma between the speaker and the date: — [[%s]], 2024-06-19", target)
		return q, false
	}
	if dateStr == "" {
		errs.Add(diag.Pos{File: file, Line: attrLine, Col: dateCol}, "attribution needs a date after the speaker: — [[%s]], 2024-06-19", target)
		ok = false
	} else if dateStr == "undated" {
		q.Undated = true
	} else if d, err := ParseDate(dateStr); err != nil {
		errs.Add(diag.Pos{File: file, Line: attrLine, Col: dateCol}, "%v", err)
		ok = false
	} else {
		q.Date = d
	}
	if strings.HasPrefix(rest, ",") {
		rest, col = rest[1:], col+1
		sp := len(rest) - len(strings.TrimLeftFunc(rest, unicode.IsSpace))
		rest, col = rest[sp:], col+sp
		if strings.TrimSpace(rest) != "" {
			q.Context = []byte(strings.TrimSpace(rest))
			q.ContextAt = diag.Pos{File: file, Line: attrLine, Col: col}
		}
	} else if strings.TrimSpace(rest) != "" {
		errs.Add(diag.Pos{File: file, Line: attrLine, Col: col}, "unexpected text %q after the attribution", strings.TrimSpace(rest))
		ok = false
	}
	textEnd := last
	for textEnd > 0 && strings.TrimSpace(texts[textEnd-1]) == "" {
		textEnd--
	}
	textStart := 0
	for textStart < textEnd && strings.TrimSpace(texts[textStart]) == "" {
		textStart++
	}
	if textStart == textEnd {
		errs.Add(q.Pos, "quote has an attribution but no text")
		return q, false
	}
	lines := texts[textStart:textEnd]
	q.Indent = indents[textStart:textEnd]
	if q.Kind != model.QuoteReported {
		lines = takeFragmentMarks(&q, lines)
	}
	q.Text = []byte(strings.Join(lines, "\n") + "\n")
	q.TextLine = firstLine + textStart
	q.Text = bytes.TrimRight(q.Text, " ")
	return q, ok
}

// takeFragmentMarks: « … » around the whole text make a fragment. The
// marks are the page's to draw, so the text keeps the words only (and
// q.Indent the columns of the words).
func takeFragmentMarks(q *RawQuote, lines []string) []string {
	open, closing, ok := fragmentMarks(lines)
	if !ok {
		return lines
	}
	lines = append([]string(nil), lines...)
	q.Indent = append([]int(nil), q.Indent...)
	first, lastLine := lines[0], len(lines)-1
	trimmed := strings.TrimLeft(first, " ")
	q.Indent[0] += len(first) - len(trimmed) + len(open)
	lines[0] = strings.TrimLeft(trimmed[len(open):], " \u00a0\u202f")
	q.Indent[0] += len(trimmed[len(open):]) - len(lines[0])
	end := strings.TrimRight(lines[lastLine], " ")
	lines[lastLine] = strings.TrimRight(strings.TrimSuffix(end, closing), " \u00a0\u202f")
	if q.Kind == model.QuoteFull {
		q.Kind = model.QuoteFragment
	}
	return lines
}

// quoteFlags takes the "{key fragment reported source=https://…}" group off
// the end of an attribution line and sets what it says.
func quoteFlags(q *RawQuote, line string, at diag.Pos, errs *diag.List) (string, bool) {
	trimmed := strings.TrimRight(line, " \t")
	if !strings.HasSuffix(trimmed, "}") {
		return line, true
	}
	open := strings.LastIndex(trimmed, "{")
	if open < 0 {
		return line, true
	}
	at.Col += open + 1
	ok := true
	for _, flag := range strings.Fields(trimmed[open+1 : len(trimmed)-1]) {
		switch {
		case flag == "key":
			q.Key = true
		case flag == model.QuoteFragment, flag == model.QuoteReported:
			if q.Kind != model.QuoteFull && q.Kind != flag {
				errs.Add(at, "a quote is a fragment or reported speech, not both")
				ok = false
			}
			q.Kind = flag
		case strings.HasPrefix(flag, "source="):
			q.SourceURL = strings.Trim(flag[len("source="):], "\"")
			if !isHTTPURL(q.SourceURL) {
				errs.Add(at, "quote source %q must start with http:// or https://", q.SourceURL)
				ok = false
			}
		default:
			errs.Add(at, "unknown quote flag %q in {…}: use key, fragment, reported or source=https://…%s", flag, diag.DidYouMean(flag, quoteFlagNames))
			ok = false
		}
	}
	return trimmed[:open], ok
}

var quoteFlagNames = []string{"key", model.QuoteFragment, model.QuoteReported, "source"}

// quoteMarks pairs the opening and closing marks that may wrap a fragment.
var quoteMarks = [][2]string{{"«", "»"}, {"“", "”"}, {"\"", "\""}, {"„", "“"}}

// fragmentMarks reports whether one pair of quotation marks wraps the whole
// text (and no other mark of the pair is inside it): a fragment.
func fragmentMarks(lines []string) (open, closing string, ok bool) {
	text := strings.TrimSpace(strings.Join(lines, "\n"))
	for _, m := range quoteMarks {
		if !strings.HasPrefix(text, m[0]) || !strings.HasSuffix(text, m[1]) || len(text) <= len(m[0])+len(m[1]) {
			continue
		}
		inner := text[len(m[0]) : len(text)-len(m[1])]
		if strings.Trim(inner, " \t\n\u00a0\u202f") == "" {
			return "", "", false // no words inside: the marks are the text
		}
		if strings.Contains(inner, m[0]) || strings.Contains(inner, m[1]) {
			return "", "", false // « a » b « c »: two quotations, not one fragment
		}
		return m[0], m[1], true
	}
	return "", "", false
}
