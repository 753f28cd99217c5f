package main

import (
	"strings"
	"testing"

	"github.com/connectlocal/connectlocal/internal/server"
)

func TestBlobStoreFlags(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	t.Run("FromTheEnvironment", func(t *testing.T) {
		cfg, _, err := parseConfig(nil, env(map[string]string{
			"CONNECTLOCAL_BLOB_STORE": "s3", "CONNECTLOCAL_S3_BUCKET": "files", "CONNECTLOCAL_S3_ENDPOINT": "http://127.0.0.1:9000",
			"CONNECTLOCAL_S3_REGION": "eu-west-1", "CONNECTLOCAL_S3_ACCESS_KEY": "minio", "CONNECTLOCAL_S3_SECRET_KEY": "minio123",
			"CONNECTLOCAL_S3_PATH_STYLE": "true",
		}))
		if err != nil {
			t.Fatal(err)
		}
		want := server.S3Config{Bucket: "files", Endpoint: "http://127.0.0.1:9000", Region: "eu-west-1", AccessKey: "minio", SecretKey: "minio123", PathStyle: true}
		if cfg.BlobStore != "s3" || cfg.S3 != want {
			t.Errorf("BlobStore %q, S3 %+v", cfg.BlobStore, cfg.S3)
		}
	})
	t.Run("FlagsWin", func(t *testing.T) {
		cfg, _, err := parseConfig([]string{"--blob-store", "fs", "--s3-path-style"}, env(map[string]string{"CONNECTLOCAL_BLOB_STORE": "s3"}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.BlobStore != "fs" || !cfg.S3.PathStyle {
			t.Errorf("BlobStore %q, PathStyle %v", cfg.BlobStore, cfg.S3.PathStyle)
		}
	})
	for name, args := range map[string][]string{
		"S3NeedsABucket": {"--blob-store", "s3"},
		"UnknownStore":   {"--blob-store", "ftp"},
		"BadPathStyle":   {"--s3-path-style=maybe"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := parseConfig(args, env(nil)); err == nil || !strings.Contains(err.Error(), "-") {
				t.Errorf("parseConfig(%v) = %v", args, err)
			}
		})
	}
}
