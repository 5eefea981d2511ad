//go:build unix

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"io"
	"maps"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/s3blob"

	"github.com/dossier-ssg/dossier/internal/seaweed"
)

// A deploy killed with SIGKILL halfway through is completed by running it
// again: the bucket then holds exactly public/.
func TestDeployKilledMidwayIsCompleted(t *testing.T) {
	store := seaweed.Start(t, "site")
	files := maps.Clone(goodSite)
	files["dossier.toml"] = "baseURL = \"https://example.org/\"\n[[deploy.targets]]\nname = \"s3\"\nurl = \"" + store.URL() + "\"\n"
	// 40 MB of attachments: a deploy long enough to be cut in the middle.
	for i := range 80 {
		data := make([]byte, 512<<10)
		_, _ = rand.Read(data)
		files["content/dossiers/pact/scan-"+strconv.Itoa(i)+".bin"] = string(data)
	}
	dir := writeSite(t, files)
	bin := filepath.Join(t.TempDir(), "dossier")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "deploy", "--source", dir, "--workers", "1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The progress line of the first tenth is the signal: some files are
	// up, most are not.
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if strings.Contains(lines.Text(), "%") {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(stdout)
	_ = cmd.Wait()
	if strings.Contains(string(rest), "Deployed") {
		t.Fatal("the deploy ended before it was killed: the test did not cut it")
	}
	ctx := context.Background()
	b, err := blob.OpenBucket(ctx, store.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	public := snapshot(t, filepath.Join(dir, "public"))
	delete(public, ".dossier-build")
	if n := count(t, b); n == 0 || n >= len(public) {
		t.Fatalf("after the kill the bucket holds %d of %d files: not a deploy cut midway", n, len(public))
	}
	if code, out, errOut := runCLI("deploy", "--source", dir); code != 0 {
		t.Fatalf("second deploy: %d %s %s", code, out, errOut)
	}
	got := map[string]string{}
	it := b.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := b.ReadAll(ctx, obj.Key)
		if err != nil {
			t.Fatal(err)
		}
		got[obj.Key] = string(data)
	}
	delete(got, ".dossier-deploy.json")
	if len(got) != len(public) {
		t.Errorf("bucket holds %d files, public/ %d", len(got), len(public))
	}
	for name, data := range public {
		if got[name] != data {
			t.Errorf("%s differs in the bucket", name)
		}
	}
}

func count(t *testing.T, b *blob.Bucket) int {
	t.Helper()
	n := 0
	it := b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		if obj.Key != ".dossier-deploy.json" {
			n++
		}
	}
}
