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

// readManifest returns the target's manifest, or an empty one when it has
// none or one this version cannot read: every file is then compared by
// content and its headers sent again, never trusted.
func readManifest(ctx context.Context, bucket *blob.Bucket) manifest {
	data, err := bucket.ReadAll(ctx, ManifestKey)
	var m manifest
	if err != nil || json.Unmarshal(data, &m) != nil || m.Version != manifestVersion {
		return manifest{Version: manifestVersion, Files: map[string]manifestEntry{}}
	}
	if m.Files == nil {
		m.Files = map[string]manifestEntry{}
	}
	return m
}

func writeManifest(ctx context.Context, bucket *blob.Bucket, files []localFile) error {
	m := manifest{Version: manifestVersion, Files: make(map[string]manifestEntry, len(files))}
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
