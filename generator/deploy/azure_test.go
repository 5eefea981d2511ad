package deploy

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
)

// Azurite's well-known development account (public, documented by
// Microsoft for the emulator).
const (
	azuriteAccount = "devstoreaccount1"
	azuriteKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// azblob:// targets, against Azurite (the Azure Storage emulator, from npm
// into .tools/ by `make tools`), started on 127.0.0.1 and stopped after.
func TestDeployToAzure(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	bin := filepath.Join(filepath.Dir(file), "..", "..", ".tools", "node_modules", ".bin", "azurite-blob")
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("DOSSIER_REQUIRE_S3") != "" {
			t.Fatal("no Azurite: run make tools")
		}
		t.Skip("no Azurite in .tools (make tools installs it)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "--blobHost", "127.0.0.1", "--blobPort", strconv.Itoa(port), "--location", t.TempDir(), "--silent", "--skipApiVersionCheck", "--loose")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	endpoint := "http://127.0.0.1:" + strconv.Itoa(port) + "/" + azuriteAccount
	cred, err := azblob.NewSharedKeyCredential(azuriteAccount, azuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	client, err := azblob.NewClientWithSharedKeyCredential(endpoint+"/", cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The emulator answers once node has started it.
	deadline := time.Now().Add(time.Minute)
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		_, err = client.CreateContainer(context.Background(), "site", nil)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Azurite did not start: %v", err)
		}
		time.Sleep(wait)
	}
	t.Setenv("AZURE_STORAGE_ACCOUNT", azuriteAccount)
	t.Setenv("AZURE_STORAGE_KEY", azuriteKey)
	testTarget(t, "azblob://site?protocol=http&domain=127.0.0.1:"+strconv.Itoa(port)+"&localemu=true")
}
