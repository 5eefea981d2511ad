package search

// stopWords are frequent French and English function words (normalized).
// They are one shared list because a query's language is unknown.
//
// A stop word is not indexed from document bodies, only from titles, in its
// own file (search/s/<word>.json). A query uses stop words only when it
// contains nothing else ("le monde", "the who"); otherwise they are ignored.
// Words that double as meaningful acronyms or words in the other language
// are deliberately absent: un (UN), eu (EU), us (US), son, car, who, may.
var stopWords = []string{
	// French
	"a", "ai", "au", "aux", "avec", "avait", "c", "ca", "ce", "cela", "ces", "cet", "cette", "ceux",
	"chez", "comme", "d", "dans", "de", "des", "donc", "dont", "du", "elle", "elles", "en", "est",
	"et", "etait", "ete", "etre", "eux", "il", "ils", "j", "je", "l", "la", "le", "les", "leur",
	"leurs", "lui", "m", "ma", "mais", "me", "meme", "mes", "moi", "mon", "n", "ne", "ni", "nos",
	"notre", "nous", "on", "ont", "ou", "par", "pas", "plus", "pour", "qu", "que", "qui", "s", "sa",
	"sans", "se", "ses", "si", "sont", "sur", "t", "ta", "te", "tes", "toi", "ton", "tres", "tu",
	"une", "vos", "votre", "vous", "y",
	// English
	"about", "also", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could",
	"did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "him", "his", "i", "if",
	"in", "into", "is", "it", "its", "me", "my", "not", "of", "or", "our", "she", "so", "than",
	"that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "was",
	"we", "were", "what", "which", "will", "with", "would", "you",
}

var isStopWord = func() map[string]bool {
	m := make(map[string]bool, len(stopWords))
	for _, w := range stopWords {
		m[w] = true
	}
	return m
}()
