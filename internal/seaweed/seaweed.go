// Package seaweed starts a real S3-compatible store (SeaweedFS's `weed
// mini`) for tests: bound to 127.0.0.1 on free ports, with its data in a
// test's temporary folder, stopped when the test ends.
//
// The weed binary is DOSSIER_WEED, or .tools/weed at the module root
// (.ci/run builds it there). Without it the test is skipped, unless
// DOSSIER_REQUIRE_S3 is set (CI), where it fails.
package seaweed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/s3blob"
)

// Credentials of the store's admin identity, given to it and to clients
// through the environment, as a deploy gets them.
const (
	AccessKey = "dossier-test"
	SecretKey = "dossier-test-secret"
)

// Store is a running store.
type Store struct {
	Endpoint string // http://127.0.0.1:port
	Bucket   string
	cmd      *exec.Cmd
}

// URL is a gocloud.dev target URL for the store's bucket.
func (s *Store) URL() string {
	return "s3://" + s.Bucket + "?endpoint=" + s.Endpoint + "&region=us-east-1&use_path_style=true"
}

// Binary returns the weed binary, or "" when there is none.
func Binary() string {
	if p := os.Getenv("DOSSIER_WEED"); p != "" {
		return p
	}
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", ".tools", "weed")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts a store with one bucket and sets the credentials in the
// test's environment (so a test using it cannot run in parallel).
func Start(t testing.TB, bucket string) *Store {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("DOSSIER_REQUIRE_S3") != "" {
			t.Fatal("no weed binary: build SeaweedFS into .tools/weed (see .ci/run) or set DOSSIER_WEED")
		}
		t.Skip("no weed binary (.tools/weed or DOSSIER_WEED): skipping the S3 store test")
	}
	t.Setenv("AWS_ACCESS_KEY_ID", AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", SecretKey)
	t.Setenv("AWS_REGION", "us-east-1")
	dir := t.TempDir()
	args := []string{"mini", "-dir=" + dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false",
		"-s3.port.iceberg=0", "-s3.port.lance=0", "-admin.port.legacy=0", "-bucket=" + bucket}
	s3 := 0
	for _, name := range []string{"master", "volume", "filer", "s3", "webdav", "admin"} {
		p := freePort(t)
		if name == "s3" {
			s3 = p
		}
		args = append(args, "-"+name+".port="+strconv.Itoa(p))
		if name != "webdav" {
			args = append(args, "-"+name+".port.grpc="+strconv.Itoa(freePort(t)))
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+AccessKey, "AWS_SECRET_ACCESS_KEY="+SecretKey)
	log, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &Store{Endpoint: "http://127.0.0.1:" + strconv.Itoa(s3), Bucket: bucket, cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		log.Close()
	})
	if err := s.ready(2 * time.Minute); err != nil {
		data, _ := os.ReadFile(filepath.Join(dir, "weed.log"))
		t.Fatalf("SeaweedFS did not become ready: %v\n%s", err, data)
	}
	return s
}

// ready waits until the bucket answers a listing: the store's parts start
// one after another, and its S3 gateway answers before its filer is up.
func (s *Store) ready(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var last error
	for wait := 50 * time.Millisecond; ; wait = min(wait*2, time.Second) {
		b, err := blob.OpenBucket(ctx, s.URL())
		if err == nil {
			_, err = b.List(nil).Next(ctx)
			b.Close()
			if err == nil || errors.Is(err, io.EOF) {
				return nil
			}
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-time.After(wait):
		}
	}
}
