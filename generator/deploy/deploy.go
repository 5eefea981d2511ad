// Package deploy owns publishing a built site to where it is served: an
// S3-compatible bucket, Google Cloud Storage, Azure Blob Storage or a
// folder (gocloud.dev's blob package). It compares the site with what the
// target holds, uploads only what changed with the right Content-Type,
// Cache-Control and Content-Encoding, in an order no visitor notices (new
// assets, then pages, then feeds and the sitemap, deletes last), and keeps
// a manifest so that a deploy cut short is completed by running it again.
package deploy

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"gocloud.dev/blob"
	_ "gocloud.dev/blob/azureblob" // azblob:// targets
	_ "gocloud.dev/blob/fileblob"  // file:// targets
	_ "gocloud.dev/blob/gcsblob"   // gs:// targets
	_ "gocloud.dev/blob/s3blob"    // s3:// targets, and every S3-compatible store
	"gocloud.dev/gcerrors"
)

// ManifestKey is the object the deploy keeps in the target: what it
// uploaded, with the headers it gave each file.
const ManifestKey = ".dossier-deploy.json"

// DefaultMaxDeletes bounds what one deploy deletes unless told otherwise: a
// wrong base URL or an empty build must not empty a bucket.
const DefaultMaxDeletes = 256

// Options say what to deploy where.
type Options struct {
	Dir   string // the built site (public/)
	URL   string // s3://bucket?region=…, gs://bucket, azblob://container, file:///path
	Rules []Rule // the site's header rules; DefaultRules follow them
	// Redirects maps the path of each redirect page to where it points: an
	// S3 bucket serving a website answers them with a real redirect.
	Redirects map[string]string
	DryRun    bool
	// Verify lists the target and compares every object's content even when
	// the deploy's manifest is there (by default the manifest, which every
	// deploy keeps true, stands for the listing: a large bucket lists slowly).
	Verify     bool
	MaxDeletes int // refuse to delete more files than this; negative: no bound
	Workers    int // parallel uploads; 0: 8
	Log        io.Writer
}

// Plan is what a deploy does (or, dry, would do).
type Plan struct {
	Uploads, Updates, Deletes []string
	Unchanged                 int
	Bytes                     int64 // stored bytes sent
}

// Summary is what a deploy did.
type Summary struct {
	Plan
	Elapsed time.Duration
}

// localFile is one file of the built site, as it will be stored.
type localFile struct {
	name    string
	md5     string // of the stored bytes (compressed when Encoding is set)
	size    int64
	headers headers
}

// sig sums up the headers a file is stored with.
func (f localFile) sig() string {
	return f.headers.ContentType + "|" + f.headers.CacheControl + "|" + f.headers.Encoding + "|" + f.headers.Redirect
}

// Run deploys o.Dir to o.URL.
func Run(ctx context.Context, o Options) (Summary, error) {
	start := time.Now()
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	target, err := targetURL(o.URL)
	if err != nil {
		return Summary{}, err
	}
	bucket, err := blob.OpenBucket(ctx, target)
	if err != nil {
		return Summary{}, fmt.Errorf("cannot open %s: %w", Redact(o.URL), err)
	}
	defer bucket.Close()
	site, err := os.OpenRoot(o.Dir)
	if err != nil {
		return Summary{}, fmt.Errorf("no built site: %w", err)
	}
	defer site.Close()
	rules := append(slices.Clone(o.Rules), DefaultRules...)
	// The site is read and hashed while the target is read.
	var local []localFile
	var readErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		local, readErr = readSite(site.FS(), rules, o.Redirects, o.Workers)
	}()
	old, known := readManifest(ctx, bucket)
	var remote map[string]remoteFile
	var listErr error
	if !known || o.Verify {
		remote, listErr = list(ctx, bucket)
	}
	<-done
	if readErr != nil {
		return Summary{}, readErr
	}
	if listErr != nil {
		return Summary{}, fmt.Errorf("cannot list %s: %w", Redact(o.URL), listErr)
	}
	if remote == nil {
		remote = old.remote()
	} else if err := fillMD5(ctx, bucket, local, remote); err != nil {
		return Summary{}, fmt.Errorf("cannot read %s: %w", Redact(o.URL), err)
	}
	plan := compare(local, remote, old)
	if o.MaxDeletes >= 0 && len(plan.Deletes) > o.MaxDeletes {
		return Summary{Plan: plan}, fmt.Errorf("refusing to delete %d files (more than --max-deletes %d): is the base URL or the target right? Run with --dry-run to see them, or raise --max-deletes", len(plan.Deletes), o.MaxDeletes)
	}
	printPlan(o.Log, plan, o.DryRun)
	if o.DryRun {
		return Summary{Plan: plan, Elapsed: time.Since(start)}, nil
	}
	d := &deployer{bucket: bucket, site: site.FS(), files: local, workers: o.Workers, log: o.Log, total: plan.Bytes}
	for _, phase := range phases(plan) {
		if err := d.upload(ctx, phase); err != nil {
			return Summary{Plan: plan, Elapsed: time.Since(start)}, err
		}
	}
	// The manifest is written before the deletes with the files to delete
	// still in it, and again after them: a deploy cut short at any point
	// leaves a manifest that names every object the target may hold, so
	// the next one deletes what is left without listing.
	if err := writeManifest(ctx, bucket, local, old, plan.Deletes); err != nil {
		return Summary{Plan: plan, Elapsed: time.Since(start)}, err
	}
	for _, name := range plan.Deletes {
		if err := retry(ctx, func() error { return bucket.Delete(ctx, name) }); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return Summary{Plan: plan, Elapsed: time.Since(start)}, fmt.Errorf("cannot delete %s: %w", name, err)
		}
	}
	if len(plan.Deletes) > 0 {
		if err := writeManifest(ctx, bucket, local, old, nil); err != nil {
			return Summary{Plan: plan, Elapsed: time.Since(start)}, err
		}
	}
	return Summary{Plan: plan, Elapsed: time.Since(start)}, nil
}

// targetURL completes a file:// target so the folder holds exactly the
// site: created if missing, and no metadata sidecar files beside each page.
func targetURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("target URL %s: %w", Redact(raw), err)
	}
	switch u.Scheme {
	case "s3", "gs", "azblob":
	case "file":
		q := u.Query()
		if !q.Has("metadata") {
			q.Set("metadata", "skip")
		}
		if !q.Has("create_dir") {
			q.Set("create_dir", "true")
		}
		u.RawQuery = q.Encode()
	default:
		return "", fmt.Errorf("target URL %s: use s3://, gs://, azblob:// or file://", Redact(raw))
	}
	return u.String(), nil
}

// secretParams are query parameters that carry a credential.
var secretParams = []string{"secret", "password", "token", "key", "credential", "signature", "sig"}

// Secret names what in a target URL looks like a credential, or "":
// credentials belong in the environment or the provider's own files, not in
// dossier.toml, which is committed.
func Secret(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if _, ok := u.User.Password(); ok {
		return "a password"
	}
	for name := range u.Query() {
		lower := strings.ToLower(name)
		for _, s := range secretParams {
			if strings.Contains(lower, s) {
				return "the parameter " + name
			}
		}
	}
	return ""
}

// Redact is a target URL without its query, for messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the target URL"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

// readSite reads what each file of the built site will be stored as,
// hashing on workers goroutines.
func readSite(site fs.FS, rules []Rule, redirects map[string]string, workers int) ([]localFile, error) {
	var files []localFile
	err := fs.WalkDir(site, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !strings.Contains(name, "/") && strings.HasPrefix(name, ".dossier-") {
			return nil // the build's own marker and lock, and the manifest: not the site's
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", name)
		}
		h := headersFor(name, rules)
		h.Redirect = redirects[name]
		files = append(files, localFile{name: name, headers: h})
		return nil
	})
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(files); i = int(next.Add(1) - 1) {
				data, err := stored(site, files[i].name, files[i].headers)
				sum := md5.Sum(data)
				files[i].md5, files[i].size, errs[i] = hex.EncodeToString(sum[:]), int64(len(data)), err
			}
		}()
	}
	wg.Wait()
	return files, errors.Join(errs...)
}

// stored returns the bytes a file is stored as.
func stored(site fs.FS, name string, h headers) ([]byte, error) {
	data, err := fs.ReadFile(site, name)
	if err != nil {
		return nil, err
	}
	data, err = compress(data, h.Encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}

// remoteFile is what the target holds of one key.
type remoteFile struct {
	md5  string // "" when the store does not give it (multipart uploads, folders)
	size int64
}

func list(ctx context.Context, bucket *blob.Bucket) (map[string]remoteFile, error) {
	out := map[string]remoteFile{}
	it := bucket.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if obj.IsDir || obj.Key == ManifestKey {
			continue
		}
		out[obj.Key] = remoteFile{md5: hex.EncodeToString(obj.MD5), size: obj.Size}
	}
}

// fillMD5 reads and hashes the objects whose listing gave no MD5 (a
// folder target, an S3 multipart upload) where a site file of the same
// size might equal them: content is compared, never assumed.
func fillMD5(ctx context.Context, bucket *blob.Bucket, local []localFile, remote map[string]remoteFile) error {
	for _, f := range local {
		r, ok := remote[f.name]
		if !ok || r.md5 != "" || r.size != f.size {
			continue
		}
		data, err := bucket.ReadAll(ctx, f.name)
		if err != nil {
			return err
		}
		sum := md5.Sum(data)
		r.md5 = hex.EncodeToString(sum[:])
		remote[f.name] = r
	}
	return nil
}

// compare makes the plan: a file is unchanged when the target holds the
// same bytes (by MD5) with the same headers (by the manifest; without one,
// every file is sent again, as its headers are unknown).
func compare(local []localFile, remote map[string]remoteFile, old manifest) Plan {
	var p Plan
	seen := make(map[string]bool, len(local))
	for _, f := range local {
		seen[f.name] = true
		r, ok := remote[f.name]
		if !ok {
			p.Uploads = append(p.Uploads, f.name)
			p.Bytes += f.size
			continue
		}
		if r.md5 == f.md5 && old.Files[f.name].Headers == f.sig() {
			p.Unchanged++
			continue
		}
		p.Updates = append(p.Updates, f.name)
		p.Bytes += f.size
	}
	for key := range remote {
		if !seen[key] {
			p.Deletes = append(p.Deletes, key)
		}
	}
	sort.Strings(p.Deletes)
	return p
}

// phases orders the uploads so that a visitor never gets a page naming an
// asset not yet there, nor a feed or sitemap naming a page not yet there.
func phases(p Plan) [][]string {
	var assets, pages, feeds []string
	for _, name := range append(slices.Clone(p.Uploads), p.Updates...) {
		switch {
		case strings.HasSuffix(name, ".html"):
			pages = append(pages, name)
		case strings.HasSuffix(name, ".xml") || name == "robots.txt" || name == "_redirects":
			feeds = append(feeds, name)
		default:
			assets = append(assets, name)
		}
	}
	return [][]string{assets, pages, feeds}
}

func printPlan(w io.Writer, p Plan, dry bool) {
	verb := "deploy"
	if dry {
		verb = "deploy (dry run, nothing changed)"
	}
	fmt.Fprintf(w, "%s: %d new, %d changed, %d to delete, %d unchanged; %s to send\n",
		verb, len(p.Uploads), len(p.Updates), len(p.Deletes), p.Unchanged, Size(p.Bytes))
	if !dry {
		return
	}
	for _, l := range []struct {
		mark  string
		names []string
	}{{"+", p.Uploads}, {"~", p.Updates}, {"-", p.Deletes}} {
		for _, n := range l.names {
			fmt.Fprintf(w, "  %s %s\n", l.mark, n)
		}
	}
}

// Size formats a byte count for people.
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// deployer uploads files in parallel.
type deployer struct {
	bucket  *blob.Bucket
	site    fs.FS
	files   []localFile
	workers int
	log     io.Writer

	mu        sync.Mutex
	total     int64
	sent      int64
	lastTenth int64
}

func (d *deployer) upload(ctx context.Context, names []string) error {
	byName := make(map[string]localFile, len(d.files))
	for _, f := range d.files {
		byName[f.name] = f
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan localFile)
	errs := make(chan error, d.workers)
	var wg sync.WaitGroup
	for range d.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				if err := retry(ctx, func() error { return d.put(ctx, f) }); err != nil {
					errs <- fmt.Errorf("cannot upload %s: %w", f.name, err)
					cancel()
					return
				}
				d.progress(f.size)
				if afterPut != nil {
					afterPut(f.name)
				}
			}
		}()
	}
	for _, name := range names {
		select {
		case jobs <- byName[name]:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

func (d *deployer) put(ctx context.Context, f localFile) error {
	data, err := stored(d.site, f.name, f.headers)
	if err != nil {
		return err
	}
	opts := &blob.WriterOptions{ContentType: f.headers.ContentType, CacheControl: f.headers.CacheControl, ContentEncoding: f.headers.Encoding}
	if f.headers.Redirect != "" {
		opts.BeforeWrite = func(as func(any) bool) error {
			var in *transfermanager.UploadObjectInput
			if as(&in) {
				in.WebsiteRedirectLocation = aws.String(f.headers.Redirect)
			}
			return nil
		}
	}
	return d.bucket.WriteAll(ctx, f.name, data, opts)
}

// progress reports every tenth of a long upload: counted in bytes, so the
// lines are the same on a fast and a slow network.
func (d *deployer) progress(n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sent += n
	if d.total < 4<<20 {
		return
	}
	if tenth := d.sent * 10 / d.total; tenth > d.lastTenth {
		d.lastTenth = tenth
		fmt.Fprintf(d.log, "deploy: %3d%%  %s of %s\n", tenth*10, Size(d.sent), Size(d.total))
	}
}

// afterPut, in tests, is told of every upload done: a test cuts a deploy
// short there.
var afterPut func(name string)

// retryDelay is the first wait after a failed request; it doubles.
var retryDelay = 250 * time.Millisecond

// retry runs fn up to four times while it fails for a reason that may
// pass (a 5xx, a timeout, a cut connection).
func retry(ctx context.Context, fn func() error) error {
	delay := retryDelay
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		if err = fn(); err == nil || permanent(err) {
			return err
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		}
		delay *= 2
	}
	return err
}

func permanent(err error) bool {
	switch gcerrors.Code(err) {
	case gcerrors.NotFound, gcerrors.PermissionDenied, gcerrors.InvalidArgument, gcerrors.FailedPrecondition,
		gcerrors.Unimplemented, gcerrors.Canceled, gcerrors.AlreadyExists:
		return true
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, fs.ErrNotExist)
}

// String sums up what a deploy did, for people.
func (s Summary) String() string {
	return fmt.Sprintf("%d new, %d changed, %d deleted, %d unchanged; %s sent in %.1fs",
		len(s.Uploads), len(s.Updates), len(s.Deletes), s.Unchanged, Size(s.Bytes), s.Elapsed.Seconds())
}
