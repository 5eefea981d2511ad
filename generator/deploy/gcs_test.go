package deploy

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"gocloud.dev/blob"
)

// gs:// targets, against fake-gcs-server (the GCS emulator, in process on
// 127.0.0.1): everything, then nothing, then one edit and one delete, with
// the headers stored.
func TestDeployToGCS(t *testing.T) {
	server, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Port: 0, PublicHost: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer server.Stop()
	server.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "site"})
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(server.URL(), "http://"))
	testTarget(t, "gs://site")
}

// testTarget deploys the sample site to a bucket URL and checks what the
// bucket holds after each deploy.
func testTarget(t *testing.T, target string) {
	t.Helper()
	ctx := context.Background()
	src := site(t, sample)
	run := func() Summary {
		t.Helper()
		s, err := Run(ctx, Options{Dir: src, URL: target, MaxDeletes: DefaultMaxDeletes})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := run(); len(s.Uploads) != len(sample)-1 {
		t.Fatalf("first deploy: %+v", s.Plan)
	}
	if s := run(); len(s.Uploads)+len(s.Updates)+len(s.Deletes) != 0 {
		t.Errorf("no-change deploy: %+v", s.Plan)
	}
	if err := os.WriteFile(filepath.Join(src, "index.html"), []byte("<p>home, edited</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(src, "feed.xml")); err != nil {
		t.Fatal(err)
	}
	if s := run(); strings.Join(s.Updates, ",") != "index.html" || strings.Join(s.Deletes, ",") != "feed.xml" {
		t.Errorf("one edit, one delete: %+v", s.Plan)
	}
	b, err := blob.OpenBucket(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got := keys(t, b)
	if got["index.html"] != "<p>home, edited</p>" || len(got) != len(sample)-1 {
		t.Errorf("bucket: %d objects, index.html %q", len(got), got["index.html"])
	}
	a, err := b.Attributes(ctx, "css/main.0123456789.css")
	if err != nil {
		t.Fatal(err)
	}
	if a.ContentType != "text/css; charset=utf-8" || a.CacheControl != ImmutableCache {
		t.Errorf("stored headers: %q %q", a.ContentType, a.CacheControl)
	}
	if s, err := Run(ctx, Options{Dir: src, URL: target, Verify: true, MaxDeletes: DefaultMaxDeletes}); err != nil || len(s.Uploads)+len(s.Updates)+len(s.Deletes) != 0 {
		t.Errorf("verify after it: %+v %v", s.Plan, err)
	}
}
