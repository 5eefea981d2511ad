package corpus

import (
	"math"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// commonWords are frequent French words, roughly most frequent first. They
// head the Zipf ranking of the vocabulary; generated words make the long tail
// that a real 10-million-word corpus has (and that a search index must hold).
const commonWords = `de la le et les des à l' en un une du d' que est pour qui dans a par sur
pas au plus ne se il ce avec son sa ses sont elle ont été cette mais aux ou
comme leur leurs nous vous y fait être tout entre selon après deux aussi depuis
sans même dont lors contre encore tous où bien alors ainsi avant autres très
pays gouvernement accord président ministre traité sommet guerre paix sécurité
coopération relations régime sanctions frontière armée défense économie énergie
négociations délégation diplomatie capitale région conseil déclaration accords
pourparlers réunion visite partenariat alliance soutien pression opposition
crise conflit cessez-le-feu réfugiés commerce exportations importations gaz
pétrole nucléaire missiles essais satellites militaire militaires économique
politique politiques stratégique stratégiques international internationale
nationale nationaux officiel officielle officiels porte-parole communiqué
conférence presse journal agence analystes experts observateurs diplomates
dirigeant dirigeants chef chefs opposition parlement élections vote loi lois
réforme budget croissance inflation dette banque monnaie marché marchés prix
hausse baisse millions milliards année années mois semaine semaines jours jour
hier aujourd'hui demain mercredi jeudi vendredi samedi dimanche lundi mardi
premier première dernier dernière nouveau nouvelle nouvelles nouveaux grand
grande grands grandes petit long longue haut haute fort forte faible important
importante importants principal principale principaux plusieurs certains
certaines chaque autre aucun aucune tel telle quelques beaucoup peu moins
toujours jamais déjà souvent désormais enfin notamment cependant toutefois
pourtant néanmoins surtout également seulement environ près loin face côté
place rôle question questions mesure mesures décision décisions position
objectif objectifs projet projets programme plan stratégie processus système
ordre mondial multipolaire hégémonie influence intérêts échanges investissements
infrastructures ports routes chemin fer réseau réseaux câbles données
cybersécurité attaque attaques menace menaces risque risques garanties
assistance aide humanitaire population populations civils victimes droits
humains justice tribunal enquête rapport rapports document documents texte
article clause clauses signature ratification entrée vigueur application
respect violation violations condamnation appel appels demande demandes
proposition propositions réponse réponses annonce annoncé annoncée déclaré
affirmé souligné indiqué précisé estimé rappelé ajouté expliqué dénoncé
condamné salué rejeté accepté signé ratifié adopté approuvé prévu prévoit
permet permettra renforcer renforcé développer développement maintenir
garantir assurer protéger promouvoir soutenir reconnaître réexaminer
rencontre rencontré reçu accueilli visité quitté rejoint retiré suspendu
repris relancé ouvert fermé bloqué levé imposé prolongé étendu limité réduit
augmenté doublé triplé atteint dépassé franchi mer océan côte côtes île îles
détroit golfe fleuve montagnes nord sud est ouest orientale occidentale
septentrional méridional voisin voisins voisine voisines partenaire partenaires
allié alliés adversaire adversaires rival rivaux ami amis ennemi ennemis`

// nameSyllables build pseudo-words, state names and city names.
var nameSyllables = []string{
	"ka", "ler", "va", "dor", "os", "tra", "mi", "ne", "bel", "gor", "sa", "ri", "lu", "ven",
	"ta", "mar", "ko", "zan", "el", "bra", "do", "vi", "ster", "an", "po", "lis", "ru", "dan",
	"é", "ran", "to", "mé", "ga", "li", "no", "ver", "qua", "sel", "fa", "ro", "bo", "nar",
	"in", "ci", "mon", "tal", "gu", "pe", "dé", "ar", "cor", "ha", "us", "zo", "vel", "ti",
}

var wordSyllables = []string{
	"pro", "con", "ver", "tra", "mi", "na", "li", "ré", "dé", "for", "stra", "té", "gi", "que",
	"tion", "ment", "el", "ique", "pa", "ra", "mo", "di", "sé", "ca", "lo", "ter", "per", "sub",
	"in", "ex", "com", "pré", "ré", "vo", "cu", "ti", "sa", "nu", "gé", "ro", "ma", "ble",
	"ance", "ence", "eur", "eux", "ale", "iste", "isme", "ité", "age", "oir", "ure", "ant",
}

// vocabulary is the words of the corpus with a Zipf sampler over them.
type vocabulary struct {
	words []string
	zipf  *sampler
}

func newVocabulary(r *rand.Rand, size int) *vocabulary {
	words := strings.Fields(commonWords)
	seen := make(map[string]bool, size)
	for _, w := range words {
		seen[w] = true
	}
	for len(words) < size {
		n := 2 + r.IntN(3)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(wordSyllables[r.IntN(len(wordSyllables))])
		}
		w := b.String()
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return &vocabulary{words: words, zipf: newZipf(len(words), 1.0)}
}

func (v *vocabulary) word(r *rand.Rand) string { return v.words[v.zipf.sample(r)] }

// sampler draws indexes 0..n-1 with fixed weights in O(1) (Vose's alias method).
type sampler struct {
	prob  []float64
	alias []int
}

// newZipf weights rank i by 1/(i+1)^s.
func newZipf(n int, s float64) *sampler {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1), s)
	}
	return newSampler(w)
}

func newSampler(weights []float64) *sampler {
	n := len(weights)
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	s := &sampler{prob: make([]float64, n), alias: make([]int, n)}
	scaled := make([]float64, n)
	var small, large []int
	for i, w := range weights {
		scaled[i] = w * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l, g := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		s.prob[l], s.alias[l] = scaled[l], g
		scaled[g] += scaled[l] - 1
		if scaled[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	for _, i := range append(small, large...) {
		s.prob[i], s.alias[i] = 1, i
	}
	return s
}

func (s *sampler) sample(r *rand.Rand) int {
	i := r.IntN(len(s.prob))
	if r.Float64() < s.prob[i] {
		return i
	}
	return s.alias[i]
}

// distinct draws k different indexes (fewer if the sampler has fewer).
func (s *sampler) distinct(r *rand.Rand, k int) []int {
	k = min(k, len(s.prob))
	out := make([]int, 0, k)
	for tries := 0; len(out) < k && tries < 50*k; tries++ {
		i := s.sample(r)
		dup := false
		for _, j := range out {
			if j == i {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, i)
		}
	}
	return out
}

// pick returns a random element of list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	if c == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(c)) + s[n:]
}

// slugify makes a slug of the content model: lower-case ASCII letters, digits
// and single hyphens, accents folded, at most max bytes.
func slugify(s string, maxLen int) string {
	var b strings.Builder
	dash := false
	for _, c := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		case unicode.Is(unicode.Mn, c):
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > maxLen {
		out = strings.TrimRight(out[:maxLen], "-")
	}
	return out
}

// fold is the case folding of actor names and aliases (resolve.Fold).
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
