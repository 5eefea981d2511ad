package resolve

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldAccents removes combining marks: "Corée" → "Coree".
func foldAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
