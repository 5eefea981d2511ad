package deploy

import (
	"context"
	"encoding/json"

	"gocloud.dev/blob"
)

// manifest is what the last deploy stored, by key: the MD5 of the stored
// bytes (some stores give none in listings) and the headers' sum (no
// listing gives headers).
type manifest struct {
	Version int                      `json:"version"`
	Files   map[string]manifestEntry `json:"files"`
}

type manifestEntry struct {
	MD5     string `json:"md5"`
	Headers string `json:"headers"`
}

const manifestVersion = 1

// readManifest returns the target's manifest; known is false when it has
// none or one this version cannot read: the target is then listed and
// every file compared by content, its headers sent again, never trusted.
func readManifest(ctx context.Context, bucket *blob.Bucket) (m manifest, known bool) {
	data, err := bucket.ReadAll(ctx, ManifestKey)
	if err != nil || json.Unmarshal(data, &m) != nil || m.Version != manifestVersion || m.Files == nil {
		return manifest{Version: manifestVersion, Files: map[string]manifestEntry{}}, false
	}
	return m, true
}

// remote is what the manifest says the target holds.
func (m manifest) remote() map[string]remoteFile {
	out := make(map[string]remoteFile, len(m.Files))
	for name, e := range m.Files {
		out[name] = remoteFile{md5: e.MD5}
	}
	return out
}

// writeManifest records the site's files, and, from the last manifest,
// the entries of pending: files about to be deleted.
func writeManifest(ctx context.Context, bucket *blob.Bucket, files []localFile, old manifest, pending []string) error {
	m := manifest{Version: manifestVersion, Files: make(map[string]manifestEntry, len(files)+len(pending))}
	for _, name := range pending {
		m.Files[name] = old.Files[name]
	}
	for _, f := range files {
		m.Files[f.name] = manifestEntry{MD5: f.md5, Headers: f.sig()}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return retry(ctx, func() error {
		return bucket.WriteAll(ctx, ManifestKey, data, &blob.WriterOptions{ContentType: "application/json", CacheControl: "no-store"})
	})
}
