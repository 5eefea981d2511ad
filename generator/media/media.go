// Package media owns the pictures a site shows, a step between resolve and
// render: it finds every image the content names (a dossier's lead image,
// an actor's portrait, a treaty's document image, the images of Markdown
// bodies), reads each file once through the site's file system, has it
// checked and resized by one images.Processor, and answers each with the
// Picture a template or a body shows. It makes each page's social card
// (og:image: a lead image cropped, else a card drawn by package cards) and
// lists the files to publish under media/. It fills the Picture, Card and
// Figures fields of resolve's copies, as render fills Body.HTML.
package media

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/dossier-ssg/dossier/generator/cards"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/i18n"
	"github.com/dossier-ssg/dossier/generator/images"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/safefile"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// Card sizes: what social networks show in full (summary_large_image).
const (
	CardWidth  = 1200
	CardHeight = 630
)

// MinCoverWidth is the narrowest lead image cropped into a social card: a
// smaller one (never enlarged) would show blurred, and a drawn card is
// used instead.
const MinCoverWidth = 600

// Options configure the media step.
type Options struct {
	FS        fs.FS // the site folder (load.SiteFS)
	Processor *images.Processor
	BasePath  string // the URL path of the site's root ("/", "/sub/")
	SiteName  string
	Lang      string // the site's language (dates of actors and treaties)
	Palette   cards.Palette
	// Files are the site paths of the content files that are not text
	// (attachments, media), for "did you mean" on a missing image.
	Files []string
	// Cache, when set, keeps what was made from each file and each card
	// between builds (watch mode); the caller forgets a changed file.
	Cache *Cache
	// Stage, when set, receives each card drawn or read as it is made,
	// and the card is in Result.Files as nil: the caller holds its bytes
	// (a dev loop's spill file, see Cache.Release) or has written them (a
	// one-shot publish), so that a site's cards are never all in memory
	// at once. Without a Cache (a one-shot publish), it also receives the
	// variants of each picture as soon as its file is processed, which
	// are in Result.Files as nil too. It may be called from several
	// goroutines at once.
	Stage func(out string, data []byte)
	// StageCard, when set, receives the cards in Stage's place, with
	// bytes of their own (read from the processor's cache or drawn for
	// this call alone): it may keep or reuse them, where Stage's may be
	// held by another (a picture's source).
	StageCard func(out string, data []byte)
	// Stands, when set, tells whether the destination holds the card at
	// output path out as the last build wrote it (a one-shot build with
	// the build cache): such a card is neither read nor drawn (a card's
	// name is the fingerprint of what it shows), only kept in the
	// processor's cache for a later build (images.Processor.Keep), and it
	// is in Result.Files as nil.
	Stands func(out string) bool
	// Changed, when set (a dev loop's save that resolve patched in: see
	// resolve.Patch), maps each changed dossier as the last build made it
	// to the copy that replaces it; every other entity is the last
	// build's copy, with the picture and card the last build gave it.
	// Site and Cards then give a card only to the changed dossiers and
	// their quotes, and Result.Cards holds only those cards. The caller
	// sets it only when the Cache can be patched (Cache.Patchable) and
	// the last Cards call was on the resolution the patch was made from.
	Changed map[*model.Dossier]*model.Dossier
}

// Files are the published files by output path (media/…).
type Files map[string][]byte

// Result is what the step made.
type Result struct {
	Files Files
	// Cards are the social cards drawn (or read back), by output path:
	// every card of the site, or, with Options.Changed, only the cards of
	// the changed entities, and CardsGone lists the cards no entity shows
	// any more; the others stand as the last build handed them over.
	Cards     Files
	CardsGone []string
	// Patched says Cards holds only the cards of the changed entities.
	Patched bool
	// Named counts the cards Cards named (and drew or looked up).
	Named int
	// Shown holds the site paths of the images a page shows: they are
	// published as their variants, without their metadata, and never
	// copied as they are.
	Shown map[string]bool
}

// Cache keeps the media of earlier builds: what each file made, by path,
// and each card drawn, by name.
type Cache struct {
	mu      sync.Mutex
	files   map[string]*processed
	cards   map[string][]byte
	holding bool // some cards hold bytes (see Release)
	// names memoizes each card's name and title by what the card is made
	// from (see name): a save names only the cards whose input changed.
	names map[cards.Card]*named
	// gen counts the builds (Cards calls), used the names looked up in
	// this one: see trimNames.
	gen, used int
	// uses counts the entities that show each drawn card, by output path,
	// as the last Cards call left them, so that a patched call (see
	// Options.Changed) knows which cards went; taken says the caller
	// took that call's cards (Release), which a patched call builds on.
	uses  map[string]int
	taken bool
}

// Patchable reports whether the next Cards call may be a patched one
// (Options.Changed): the last call's cards were taken by the caller.
func (c *Cache) Patchable() bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.uses != nil && c.taken
}

// named is a card's name and its title (for a quote, its text), and the
// last build that looked it up.
type named struct {
	name, title string
	gen         int
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{files: map[string]*processed{}, cards: map[string][]byte{}, names: map[cards.Card]*named{}}
}

// name returns the name of the card c and its title. A quote's card is
// made from its rendered text: c.Title is then its HTML and text gives
// the title from it (nil: c.Title is the title). The memo is keyed by
// every field of c, the HTML rather than the title made from it, so it
// answers only for a card made from the same input, and it is never
// stale: what a card shows is a function of that input alone
// (cards.Name).
func (c *Cache) name(card cards.Card, text func(html string) string) (string, string) {
	if c != nil {
		c.mu.Lock()
		m := c.names[card]
		if m != nil {
			m.gen = c.gen
			c.used++
		}
		c.mu.Unlock()
		if m != nil {
			return m.name, m.title
		}
	}
	key := card
	if text != nil {
		card.Title = text(card.Title)
	}
	m := &named{name: cards.Name(card), title: card.Title}
	if c != nil {
		c.mu.Lock()
		m.gen = c.gen
		c.used++
		c.names[key] = m
		c.mu.Unlock()
	}
	return m.name, m.title
}

// trimNames forgets the names not looked up since the last trim, once
// they are most of the memo: cards of edited texts do not pile up.
func (c *Cache) trimNames() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.names) > 2*c.used+1024 {
		for k, m := range c.names {
			if m.gen != c.gen {
				delete(c.names, k)
			}
		}
	}
	c.gen++
	c.used = 0
}

// Release forgets the bytes of the cards: whoever called holds them now
// (the dev loop's output tree, on disk), and a card released is handed
// over as nil (Result.Files), unchanged. The cards at the output paths of
// gone, which the caller no longer holds, are forgotten whole.
func (c *Cache) Release(gone []string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.taken = true
	if len(gone) > 0 {
		out := make(map[string]bool, len(gone))
		for _, p := range gone {
			out[p] = true
		}
		for name := range c.cards {
			if out[urls.Media(name)] {
				delete(c.cards, name)
			}
		}
	}
	if !c.holding {
		return
	}
	for name := range c.cards {
		c.cards[name] = nil
	}
	c.holding = false
}

// Forget drops what was made from the file at site path p (it changed),
// and from every file below p, when p is a folder.
func (c *Cache) Forget(p string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.files {
		if k == p || strings.HasPrefix(k, p+"/") {
			delete(c.files, k)
		}
	}
}

// processed is what one image file made.
type processed struct {
	widths []int // the widths asked
	result images.Result
	cover  *images.Variant // the social card made from it, when asked
	err    error
}

// use is one place that shows an image file.
type use struct {
	file     string
	pos      diag.Pos
	cover    bool // its social card is made from it
	portrait bool // shown as an avatar too: small widths
}

// PortraitWidths are the widths added for a portrait, shown as a small
// avatar (2.25 to 4.5rem) on many pages.
var PortraitWidths = []int{96, 192}

// Site processes every image the site shows and fills the pictures and
// cards. Every problem is reported at the place that names the file.
func Site(site *model.Site, opts Options, errs *diag.List) Result {
	uses := collect(site, errs)
	made := process(uses, opts, errs)
	res := Result{Files: Files{}, Cards: Files{}, Shown: map[string]bool{}}
	var changed map[*model.Dossier]bool // the new copies, when patched
	if opts.Changed != nil {
		changed = make(map[*model.Dossier]bool, len(opts.Changed))
		for _, d := range opts.Changed {
			changed[d] = true
		}
	}
	publish := func(v images.Variant) string {
		out := urls.Media(v.Name)
		res.Files[out] = v.Data
		return opts.BasePath + out
	}
	picture := func(im *model.Image) *model.Picture {
		if im == nil || made[im.File] == nil {
			return nil
		}
		res.Shown[im.File] = true
		pic := pictureOf(made[im.File].result, publish)
		pic.Alt, pic.Caption, pic.Credit = im.Alt, im.Caption, im.Credit
		if im.Decorative {
			pic.Alt = ""
		}
		return &pic
	}
	for _, d := range site.Dossiers {
		d.Picture = picture(d.Image)
		if changed == nil || changed[d] {
			d.Card = nil // else the last build's copy, with its card (Options.Changed)
		}
		if p := made[fileOf(d.Image)]; p != nil && p.cover != nil && p.cover.Width >= MinCoverWidth {
			d.Card = &model.Card{Path: strings.TrimPrefix(publish(*p.cover), opts.BasePath), Width: p.cover.Width, Height: p.cover.Height, Alt: d.Picture.Alt}
		}
		figures(&d.Body, made, publish, res.Shown)
		for _, q := range d.Quotes {
			figures(&q.Text, made, publish, res.Shown)
			figures(&q.Context, made, publish, res.Shown)
		}
	}
	for _, a := range site.Actors {
		a.Picture = picture(a.Image)
		figures(&a.Body, made, publish, res.Shown)
	}
	for _, t := range site.Treaties {
		t.Picture = picture(t.Image)
		figures(&t.Body, made, publish, res.Shown)
	}
	return res
}

// Cards gives every dossier, quote, actor and treaty page its social card,
// once bodies are rendered (a quote's card shows its text): a dossier's
// is its lead image cropped (made by Site), the others are drawn (package
// cards) with the page's title or quote, the speaker, the date and the
// site's name, in the theme's colours. A portrait or a document image is
// not cropped into a card: a centred 1.9:1 crop of a tall picture cuts a
// face or shows the middle of a page. The cards go in res.Cards. With
// opts.Changed (a patched save), only the changed dossiers and their
// quotes are given a card: every other entity keeps the one it has, as
// nothing it is made from changed (an actor's name, a treaty, a setting
// or an image file changed resolves the site in full), and res.CardsGone
// lists the cards no entity shows any more.
func Cards(site *model.Site, opts Options, res *Result, errs *diag.List) {
	c := opts.Cache
	patched := opts.Changed != nil && c != nil
	if c != nil {
		c.mu.Lock()
		c.taken = false
		if !patched {
			c.uses = map[string]int{}
		}
		c.mu.Unlock()
	}
	if !patched {
		defer c.trimNames()
	}
	// use counts a drawn card shown (n = 1) or no longer shown (-1) by
	// an entity; a lead image cropped (Site) is not counted.
	use := func(card *model.Card, n int) {
		if c == nil || card == nil {
			return
		}
		c.mu.Lock()
		if _, drawn := c.uses[card.Path]; drawn || n > 0 {
			c.uses[card.Path] += n
		}
		c.mu.Unlock()
	}
	// cardOf gives the card c, whose Title is a quote's HTML when text is
	// set (see Cache.name); alt makes its alt text from its title.
	cardOf := func(cd cards.Card, text func(string) string, alt func(title string) string) *model.Card {
		cd.Site, cd.Colors = opts.SiteName, opts.Palette
		res.Named++
		name, title := c.name(cd, text)
		cd.Title = title
		out := urls.Media(name)
		if opts.Stands != nil && opts.Stands(out) {
			opts.Processor.Keep(name)
			res.Cards[out] = nil
			return &model.Card{Path: out, Width: CardWidth, Height: CardHeight, Alt: alt(title)}
		}
		var stage func([]byte)
		switch {
		case opts.StageCard != nil:
			stage = func(data []byte) { opts.StageCard(out, data) }
		case opts.Stage != nil:
			stage = func(data []byte) { opts.Stage(out, data) }
		}
		data, err := c.card(name, cd, opts.Processor, stage)
		if err != nil {
			errs.Add(diag.Pos{File: "content"}, "social card %q: %v", cd.Title, err)
			return nil
		}
		res.Cards[out] = data
		card := &model.Card{Path: out, Width: CardWidth, Height: CardHeight, Alt: alt(title)}
		use(card, 1)
		return card
	}
	same := func(title string) string { return title }
	dossier := func(d *model.Dossier) {
		if d.Card == nil {
			d.Card = cardOf(cards.Card{Kind: "dossier", Title: d.Title, Date: i18n.FormatDate(d.Lang, d.Date)}, nil, same)
		}
		for _, q := range d.Quotes {
			speaker := q.Speaker.Slug
			if q.SpeakerActor != nil {
				speaker = q.SpeakerActor.Name
			}
			q.Card = cardOf(cards.Card{Kind: "quote", Title: string(q.Text.HTML), Speaker: speaker, Date: i18n.FormatDate(d.Lang, q.Date)},
				markdown.HTMLText, func(text string) string { return text + " — " + speaker })
		}
	}
	if patched {
		res.Patched = true
		cardsChanged(opts.Changed, c, res, dossier, use)
		return
	}
	for _, d := range site.Dossiers {
		dossier(d)
	}
	for _, a := range site.Actors {
		a.Card = cardOf(cards.Card{Kind: "actor", Title: a.Name, Date: a.Role}, nil, same)
	}
	for _, t := range site.Treaties {
		t.Card = cardOf(cards.Card{Kind: "treaty", Title: t.Title, Date: i18n.FormatDate(opts.Lang, t.Signed)}, nil, same)
	}
}

// cardsChanged gives their cards to the changed dossiers of a patched
// save (Cards with Options.Changed): the cards of the old copies are no
// longer shown by them, those of the new copies are, and a card no
// entity shows any more is gone.
func cardsChanged(changed map[*model.Dossier]*model.Dossier, c *Cache, res *Result, dossier func(*model.Dossier), use func(*model.Card, int)) {
	var was []string
	for old := range changed {
		if old.Card != nil {
			was = append(was, old.Card.Path)
		}
		use(old.Card, -1)
		for _, q := range old.Quotes {
			if q.Card != nil {
				was = append(was, q.Card.Path)
			}
			use(q.Card, -1)
		}
	}
	for _, d := range changed {
		dossier(d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	slices.Sort(was)
	for _, p := range slices.Compact(was) {
		if n, ok := c.uses[p]; ok && n <= 0 {
			delete(c.uses, p)
			res.CardsGone = append(res.CardsGone, p)
		}
	}
}

func fileOf(im *model.Image) string {
	if im == nil {
		return ""
	}
	return im.File
}

// pictureOf makes the Picture of a processed image: the largest variant
// of the source format is its default file and gives its size.
func pictureOf(r images.Result, publish func(images.Variant) string) model.Picture {
	var pic model.Picture
	var main, webp []string
	for _, v := range candidates(r) {
		src := publish(v) + " " + strconv.Itoa(v.Width) + "w"
		if v.Format == "webp" && r.Info.Format != "webp" {
			webp = append(webp, src)
			continue
		}
		main = append(main, src)
		if v.Width >= pic.Width {
			pic.Src, pic.Width, pic.Height = publish(v), v.Width, v.Height
		}
	}
	if len(main) > 1 {
		pic.SrcSet = strings.Join(main, ", ")
	}
	if len(webp) > 0 {
		pic.WebPSrcSet = strings.Join(webp, ", ")
	}
	return pic
}

// candidates lists the variants of r a picture publishes: one per format
// and width, for a srcset.
func candidates(r images.Result) []images.Variant {
	var out []images.Variant
	seen := map[string]bool{}
	for _, v := range r.Variants {
		if key := v.Format + " " + strconv.Itoa(v.Width); !seen[key] {
			seen[key] = true
			out = append(out, v)
		}
	}
	return out
}

// stream hands the files p publishes to stage (see Options.Stage) and
// forgets their bytes: the variants of its picture and, when it is wide
// enough to be used, its social card. p is not a cache's.
func stream(p *processed, stage func(out string, data []byte)) {
	if p.err != nil {
		return
	}
	published := map[string]bool{}
	for _, v := range candidates(p.result) {
		published[v.Name] = true
		stage(urls.Media(v.Name), v.Data)
	}
	for i := range p.result.Variants {
		if published[p.result.Variants[i].Name] {
			p.result.Variants[i].Data = nil
		}
	}
	if p.cover != nil && p.cover.Width >= MinCoverWidth {
		stage(urls.Media(p.cover.Name), p.cover.Data)
		p.cover.Data = nil
	}
}

// figures answers the images of a body with their pictures, in order.
func figures(b *model.Body, made map[string]*processed, publish func(images.Variant) string, shown map[string]bool) {
	doc, ok := b.Doc.(*markdown.Doc)
	if !ok {
		return
	}
	list := doc.Images()
	if len(list) == 0 {
		b.Figures, b.FigureSig = nil, ""
		return
	}
	pics := make([]markdown.Picture, len(list))
	var sig strings.Builder
	for i, im := range list {
		file, msg := bodyImagePath(b.File, im.Dest)
		p := made[file]
		if msg != "" || p == nil || p.err != nil {
			continue
		}
		shown[file] = true
		pic := pictureOf(p.result, publish)
		pic.Alt = im.Alt
		if strings.TrimSpace(im.Alt) == markdown.Decorative {
			pic.Alt = ""
		}
		pic.Caption, pic.Credit = im.Caption()
		pics[i] = pic
		fmt.Fprintf(&sig, "%q %q %q %q %q %d %d\n", pic.Src, pic.SrcSet, pic.WebPSrcSet, pic.Alt, pic.Caption+"|"+pic.Credit, pic.Width, pic.Height)
	}
	b.Figures, b.FigureSig = pics, sig.String()
}

// bodyImagePath resolves the destination of a Markdown image of the body
// in file to a site path; msg says why it cannot be published.
func bodyImagePath(file, dest string) (string, string) {
	if u, err := url.Parse(dest); err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "//") {
		return "", "an image is published from the site: save the file beside this text (and credit it)"
	}
	p, err := url.PathUnescape(dest)
	if err != nil || p == "" || strings.ContainsAny(p, "?#\\") || strings.HasPrefix(p, "/") {
		return "", "write the image's file name relative to this file's folder, with / between folders"
	}
	dir := path.Dir(file)
	full := path.Join(dir, p)
	if !strings.HasPrefix(full, dir+"/") {
		return "", "the image must be in this file's folder or below it"
	}
	return full, ""
}

// collect lists every place that shows an image, and reports the images
// of bodies that cannot be published (no alt text, a remote file).
func collect(site *model.Site, errs *diag.List) []use {
	var uses []use
	entity := func(im *model.Image, cover, portrait bool) {
		if im != nil {
			uses = append(uses, use{file: im.File, pos: im.Pos, cover: cover, portrait: portrait})
		}
	}
	body := func(b *model.Body) {
		doc, ok := b.Doc.(*markdown.Doc)
		if !ok {
			return
		}
		for _, im := range doc.Images() {
			pos := b.Pos(max(im.Offset, 0))
			file, msg := bodyImagePath(b.File, im.Dest)
			if msg != "" {
				errs.Add(pos, "image %q: %s", im.Dest, msg)
				continue
			}
			if strings.TrimSpace(im.Alt) == "" {
				errs.Add(pos, "image %q has no alt text: describe what it shows, ![Kim Jong-un à Pyongyang](%s), or write ![%s](%s) when it shows nothing the text does not say", im.Dest, im.Dest, markdown.Decorative, im.Dest)
				continue
			}
			uses = append(uses, use{file: file, pos: pos})
		}
	}
	for _, d := range site.Dossiers {
		entity(d.Image, true, false)
		body(&d.Body)
		for _, q := range d.Quotes {
			body(&q.Text)
			body(&q.Context)
		}
	}
	for _, a := range site.Actors {
		entity(a.Image, false, true)
		body(&a.Body)
	}
	for _, t := range site.Treaties {
		entity(t.Image, false, false)
		body(&t.Body)
	}
	return uses
}

// process reads and processes each file once, in parallel, and reports a
// file's problem at every place that shows it.
func process(uses []use, opts Options, errs *diag.List) map[string]*processed {
	cover, portrait := map[string]bool{}, map[string]bool{}
	var files []string
	for _, u := range uses {
		if _, seen := cover[u.file]; !seen {
			files = append(files, u.file)
		}
		cover[u.file] = cover[u.file] || u.cover
		portrait[u.file] = portrait[u.file] || u.portrait
	}
	sort.Strings(files)
	out := make([]*processed, len(files))
	parallel(len(files), func(i int) {
		spec := images.DefaultSpec
		if portrait[files[i]] {
			spec.Widths = append(slices.Clone(PortraitWidths), spec.Widths...)
		}
		out[i] = opts.Cache.file(files[i], spec, cover[files[i]], opts)
		if opts.Cache == nil && opts.Stage != nil {
			// A one-shot publish writes the variants as they are made
			// rather than holding a site's pictures until the end.
			stream(out[i], opts.Stage)
		}
	})
	made := make(map[string]*processed, len(files))
	for i, f := range files {
		made[f] = out[i]
	}
	for _, u := range uses {
		p := made[u.file]
		if p.err == nil {
			continue
		}
		var missing *missingError
		if errors.As(p.err, &missing) {
			errs.Add(u.pos, "no image %s%s", u.file, didYouMean(u.file, opts.Files))
			continue
		}
		errs.Add(u.pos, "image %s: %v", u.file, p.err)
	}
	return made
}

type missingError struct{}

func (*missingError) Error() string { return "no such file" }

// didYouMean suggests a file of the same folder.
func didYouMean(file string, files []string) string {
	dir := path.Dir(file)
	var names []string
	for _, f := range files {
		if path.Dir(f) == dir {
			names = append(names, path.Base(f))
		}
	}
	return diag.DidYouMean(path.Base(file), names)
}

// file returns what the file at site path p makes, from the cache when it
// holds it (with a cover, when one is asked).
func (c *Cache) file(p string, spec images.Spec, cover bool, opts Options) *processed {
	if c != nil {
		c.mu.Lock()
		e := c.files[p]
		c.mu.Unlock()
		if e != nil && slices.Equal(e.widths, spec.Widths) && (e.err != nil || !cover || e.cover != nil) {
			return e
		}
	}
	e := &processed{widths: spec.Widths}
	data, err := read(opts.FS, p)
	if err == nil {
		e.result, err = opts.Processor.Process(p, data, spec)
	}
	if err == nil && cover && e.result.Info.Format != "svg" {
		var v images.Variant
		if v, err = opts.Processor.Cover(p, data, CardWidth, CardHeight); err == nil {
			e.cover = &v
		}
	}
	e.err = err
	if c != nil {
		c.mu.Lock()
		c.files[p] = e
		c.mu.Unlock()
	}
	return e
}

// card returns the bytes of the card named name: from the cache, else from
// the processor's persistent cache, else drawn (once per process: a card's
// name is its content's fingerprint). With stage and a cache, a card made
// is handed to stage and kept, and returned, as nil.
func (c *Cache) card(name string, card cards.Card, proc *images.Processor, stage func([]byte)) ([]byte, error) {
	if c != nil {
		c.mu.Lock()
		data, ok := c.cards[name]
		c.mu.Unlock()
		if ok {
			return data, nil
		}
	}
	// The processor keeps the card on disk for the next build; drawn keeps
	// it for this process, whose builds share no processor (tests). A
	// cache (a dev loop's) keeps its cards itself.
	data, err := proc.Cached(name, func() ([]byte, error) {
		if c != nil || stage != nil {
			return cards.Render(card)
		}
		return drawn.get(name, func() ([]byte, error) { return cards.Render(card) })
	})
	if err == nil && stage != nil {
		stage(data)
		data = nil
	}
	if err == nil && c != nil {
		c.mu.Lock()
		c.cards[name] = data
		c.holding = c.holding || data != nil
		c.mu.Unlock()
	}
	return data, err
}

// drawn keeps the cards drawn by this process, by name, up to a bound:
// tests and a dev server build the same site many times.
var drawn = &memo{entries: map[string][]byte{}, limit: 128 << 20}

type memo struct {
	mu      sync.Mutex
	entries map[string][]byte
	size    int
	limit   int
}

func (m *memo) get(name string, make func() ([]byte, error)) ([]byte, error) {
	m.mu.Lock()
	data, ok := m.entries[name]
	m.mu.Unlock()
	if ok {
		return data, nil
	}
	data, err := make()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.size+len(data) > m.limit {
		m.entries, m.size = map[string][]byte{}, 0
	}
	m.entries[name] = data
	m.size += len(data)
	m.mu.Unlock()
	return data, nil
}

// read reads an image file of the site once, refusing what is not a
// regular file and what is over the size limit before reading it.
func read(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &missingError{}
	}
	if err != nil {
		return nil, unwrap(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, unwrap(err)
	}
	if !safefile.Regular(info.Mode()) {
		return nil, fmt.Errorf("this is %s, not an image file", safefile.Describe(info.Mode()))
	}
	limit := images.DefaultLimits.MaxBytes
	data, err := safefile.ReadAll(f, info.Size(), limit)
	var tooLarge *safefile.TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, fmt.Errorf("the file is %d MB, over the %d MB limit of an image", tooLarge.Size>>20, limit>>20)
	}
	return data, unwrap(err)
}

func unwrap(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// parallel runs fn(0..n-1) on all cores.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}
