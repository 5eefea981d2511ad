package markdown

import (
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// timingOutLexer stands for chroma's regex lexers on a loaded machine: its
// first spurious lexings read some text as Error (a match that timed out),
// the next ones read it right. real marks text that is an Error every time.
type timingOutLexer struct {
	chroma.Lexer
	spurious int // lexings left that time out
	real     bool
	calls    int
}

func (l *timingOutLexer) Tokenise(_ *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	l.calls++
	toks := []chroma.Token{{Type: chroma.Keyword, Value: "func"}, {Type: chroma.Text, Value: " " + text}}
	if l.spurious > 0 {
		l.spurious--
		toks = append(toks, chroma.Token{Type: chroma.Error, Value: "x"}, chroma.Token{Type: chroma.Error, Value: "y"})
	}
	if l.real {
		toks = append(toks, chroma.Token{Type: chroma.Error, Value: "?"})
	}
	return chroma.Literator(toks...), nil
}

func TestTokensRelexesSpuriousErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		lexer     *timingOutLexer
		wantErrs  int
		wantCalls int
	}{
		{"clean at once", &timingOutLexer{}, 0, 1},
		{"one timeout, then clean", &timingOutLexer{spurious: 1}, 0, 2},
		{"every lexing times out: the fewest errors", &timingOutLexer{spurious: maxLexes}, 2, maxLexes},
		{"a real error is kept", &timingOutLexer{real: true}, 1, maxLexes},
		{"a real error, timeouts first", &timingOutLexer{spurious: 2, real: true}, 1, maxLexes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.lexer.Lexer = lexers.Fallback
			toks, err := tokens(tc.lexer, "main()")
			if err != nil {
				t.Fatal(err)
			}
			errs := 0
			for _, tok := range toks {
				if tok.Type == chroma.Error {
					errs++
				}
			}
			if errs != tc.wantErrs || tc.lexer.calls != tc.wantCalls {
				t.Errorf("%d Error tokens after %d lexings, want %d after %d", errs, tc.lexer.calls, tc.wantErrs, tc.wantCalls)
			}
		})
	}
}
