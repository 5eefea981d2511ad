package importer

// Word lists, all folded (lower case, no accents). They drive the heuristics
// of Clean and FindQuotes; docs/authoring.md describes them.

// stopFR and stopEN are common words: a capitalised one (at a sentence
// start) is not a name.
var stopFR = set(`le la les l un une des du de d au aux et ou ni mais donc or car
	que qu qui quoi dont en dans par pour sur sous avec sans chez entre vers selon
	lors apres avant depuis pendant malgre contre outre ce cet cette ces c ca son sa
	ses leur leurs mon ma mes ton ta tes notre nos votre vos il elle ils elles on nous
	vous je j tu y se s n ne pas plus tres bien tout toute tous toutes meme autre
	autres aucun aucune chaque certains certaines plusieurs quelques ainsi alors
	aussi cependant pourtant toutefois enfin ensuite puis encore deja hier aujourd
	demain ici si comme quand lorsque lorsqu puisque tandis parce afin face grace est
	sont ont etait etaient sera seront ete fut cela ceci celui celle ceux celles
	lequel laquelle lesquels oui non mme mm monsieur madame interroge interrogee
	lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril
	mai juin juillet aout septembre octobre novembre decembre`)

var stopEN = set(`the a an and or but nor so yet of in on at to for by with from into
	over under about after before during since until while when where which who whom
	whose what why how that this these those it its he she they we you i his her
	their our your my me him them us is are was were be been being has have had do
	does did not no yes as if than then there here also however meanwhile moreover
	still even just only some any each every all both many most more other such
	according asked mr mrs ms dr monday tuesday wednesday thursday friday saturday
	sunday january february march april may june july august september october
	november december`)

// frOnly and enOnly are the stop words the language guess counts: frequent,
// and not words of the other language.
var frOnly = set(`le la les des du et est une que qui dans pour pas sur au aux avec
	ce cette il elle ont sont`)
var enOnly = set(`the and of to is was that for on with as by it he she said are
	were has have from at this`)

// linkers may stand between a speech verb and the quotation it introduces.
var linkers = set(`que qu that`)

// articles may precede a role noun ("un porte-parole", "a spokesman").
var articles = set(`un une a an des les`)

// determiners introduce a role phrase ("le président russe") and, before a
// quotation mark, a quoted term rather than a statement.
var determiners = set(`le la l du au the`)

// termPreceders: a quotation right after one of these words is a quoted term
// (« Accord de partenariat », de nature « défensive »), not a statement.
var termPreceders = set(`le la les l un une des du de d au aux son sa ses leur leurs
	ce cet cette ces notre nos votre vos mon ma mes dit dite dits dites baptise
	baptisee surnomme surnommee appele appelee the a an of his her their its our
	your my this these those so-called called dubbed named termed`)

// complements precede a name that belongs to something else ("le porte-parole
// du Kremlin", "spokesman of the Kremlin").
var complements = set(`de du des d of`)

// roleNouns name a function; a role noun between a speech verb and its
// subject means the speaker is that (unnamed) office holder.
var roleNouns = set(`president presidente dirigeant dirigeante chef ministre
	porte-parole conseiller conseillere secretaire ambassadeur ambassadrice chancelier
	chanceliere roi reine leader general directeur directrice dictateur commandant
	patron premier vice-president minister spokesman spokeswoman spokesperson
	adviser advisor secretary ambassador chancellor king queen director chief dictator
	commander`)

// pronouns can stand for a speaker named earlier.
var pronouns = set(`il elle ils elles lui eux he she they him them`)

// nameParticles may join the parts of a name ("Charles de Gaulle").
var nameParticles = set(`de du von van der den al bin ibn da di`)

// abbreviations end with a period that does not end a sentence.
var abbreviations = set(`m mm mme mmes mr mrs ms dr st gen col lt sgt prof etc cf vs ex
	av apr env art fig p pp vol chap ed resp approx ca jr sr inc ltd co corp al no`)

// Speech verbs, French. Participles follow an auxiliary ("a déclaré", "ont
// affirmé", "a-t-il ajouté"); present forms and gerunds stand alone.
var frAux = set(`a ont avait avaient aurait auraient ait aient aura auront avoir`)
var frAdverbs = set(`egalement aussi encore deja ensuite enfin notamment pourtant
	toutefois meme bien ainsi par ailleurs d abord de nouveau plus tard clairement
	publiquement simplement alors donc hier aujourd hui lui-meme elle-meme`)
var frParticiples = set(`declare dit souligne affirme indique qualifie ajoute explique
	estime assure insiste precise averti prevenu martele lance repondu rappele annonce
	confie reconnu juge denonce ecrit deplore avance commente poursuivi conclu note
	observe admis promis menace reagi salue reitere fustige regrette confirme dementi
	tweete raconte resume repete tranche plaide`)
var frPresent = set(`declare affirme souligne estime explique assure ajoute precise
	indique martele insiste avertit previent rappelle reconnait deplore denonce ecrit
	confie lance resume repete confirme poursuit tranche plaide`)
var frGerunds = set(`declarant affirmant soulignant estimant expliquant assurant
	ajoutant precisant indiquant martelant insistant avertissant rappelant
	reconnaissant deplorant denoncant ecrivant`)

// Speech verbs, English.
var enVerbs = set(`said says told tells added adds stated declared declares warned
	warns noted insisted insists explained explains wrote writes tweeted argued argues
	claimed stressed stresses emphasized emphasised asserted acknowledged admitted
	replied responded announced continued concluded saying telling adding warning`)

// notInvertible verbs take a person as object: in "a qualifié Poutine de …"
// or "told Kim that …" the name after the verb is not the speaker.
var notInvertible = set(`qualifie salue averti prevenu menace denonce told tells
	telling warned warns warning`)

// danglingWords cannot end a sentence: a short line ending with one is a
// truncated label.
var danglingWords = set(`de du des d la le les l un une a au aux et ou en pour par sur
	avec dans que qui selon of the an to for by with in on and or from at as that
	according`)
