// Command connectlocal runs a local Amazon Connect: the Connect API for the official SDKs
// and the AWS CLI, with state in a SQLite file (or in memory).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/connectlocal/connectlocal/internal/connect"
	"github.com/connectlocal/connectlocal/internal/logbuf"
	"github.com/connectlocal/connectlocal/internal/server"
	"github.com/connectlocal/connectlocal/internal/sigv4"
)

func main() {
	server.SetGCPercent()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "connectlocal:", err)
		os.Exit(1)
	}
}

// run parses the configuration, serves until ctx is cancelled, then shuts down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, logFormat, err := parseConfig(args, getenv)
	if err != nil {
		return err
	}
	// Log lines reach stderr within logbuf.Delay rather than each with a write of its own.
	logs := logbuf.New(os.Stderr)
	defer logs.Flush()
	cfg.Logger = newLogger(logFormat, logs)
	cfg.TuneGC = true // main set the target (server.SetGCPercent)
	srv, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	printBanner(stdout, srv, cfg)
	<-ctx.Done()
	cfg.Logger.Info("shutting down")
	return srv.Close(10 * time.Second)
}

// parseConfig reads flags, each with a CONNECTLOCAL_* environment equivalent; a flag
// given on the command line wins over the environment.
func parseConfig(args []string, getenv func(string) string) (server.Config, string, error) {
	fs := flag.NewFlagSet("connectlocal", flag.ContinueOnError)
	env := func(name, def string) string {
		if v := getenv("CONNECTLOCAL_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return def
	}
	var cfg server.Config
	var credentials, logFormat, memory, s3PathStyle string
	fs.StringVar(&cfg.Addr, "addr", env("addr", "127.0.0.1:4599"), "listen address")
	fs.StringVar(&cfg.DataDir, "data-dir", env("data-dir", ".connectlocal"), "directory of the SQLite database")
	fs.StringVar(&memory, "memory", env("memory", "false"), "keep all state in memory and write no files")
	fs.StringVar(&cfg.Postgres, "postgres", env("postgres", ""), "PostgreSQL connection URL: keep the state there instead of SQLite, so replicas can share it")
	fs.StringVar(&cfg.Region, "region", env("region", "us-east-1"), "AWS region of the ARNs")
	fs.StringVar(&cfg.Auth, "auth", env("auth", "sigv4"), "sigv4 (verify request signatures) or off (accept any)")
	fs.StringVar(&credentials, "credentials", env("credentials", ""), "file of extra credentials: one 'ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID' per line")
	fs.StringVar(&cfg.PublicURL, "public-url", env("public-url", ""), "base URL clients reach, for URLs the server hands out (default http://ADDR)")
	fs.StringVar(&logFormat, "log-format", env("log-format", "text"), "text or json")
	fs.StringVar(&cfg.BlobStore, "blob-store", env("blob-store", ""), "where attached files' bytes go: fs (DATA-DIR/blobs), mem or s3 (default fs, mem with --memory)")
	fs.StringVar(&cfg.S3.Bucket, "s3-bucket", env("s3-bucket", ""), "bucket of --blob-store s3 (created if missing)")
	fs.StringVar(&cfg.S3.Endpoint, "s3-endpoint", env("s3-endpoint", ""), "endpoint of the S3-compatible service, e.g. http://127.0.0.1:9000 (default Amazon S3)")
	fs.StringVar(&cfg.S3.Region, "s3-region", env("s3-region", ""), "region of the bucket (default --region)")
	fs.StringVar(&cfg.S3.AccessKey, "s3-access-key", env("s3-access-key", ""), "access key ID for the S3 service")
	fs.StringVar(&cfg.S3.SecretKey, "s3-secret-key", env("s3-secret-key", ""), "secret access key for the S3 service")
	fs.StringVar(&s3PathStyle, "s3-path-style", env("s3-path-style", "false"), "address the bucket as ENDPOINT/BUCKET (MinIO, LocalStack) rather than BUCKET.ENDPOINT")
	fs.StringVar(&cfg.WebhookURL, "webhook-url", env("webhook-url", ""), "URL that receives the EventBridge events and notifications rules deliver (POST, JSON)")
	// --memory is a boolean flag that also reads "true"/"1" from the environment.
	fs.Lookup("memory").DefValue = "false"
	fs.Lookup("s3-path-style").DefValue = "false"
	if err := fs.Parse(normalizeBoolFlag(normalizeBoolFlag(args, "memory"), "s3-path-style")); err != nil {
		return cfg, "", err
	}
	var err error
	if cfg.Memory, err = strconv.ParseBool(memory); err != nil {
		return cfg, "", fmt.Errorf("--memory: %w", err)
	}
	if cfg.S3.PathStyle, err = strconv.ParseBool(s3PathStyle); err != nil {
		return cfg, "", fmt.Errorf("--s3-path-style: %w", err)
	}
	switch cfg.BlobStore {
	case "", "fs", "mem":
	case "s3":
		if cfg.S3.Bucket == "" {
			return cfg, "", errors.New("--blob-store s3 needs --s3-bucket")
		}
	default:
		return cfg, "", fmt.Errorf("--blob-store must be fs, mem or s3, not %q", cfg.BlobStore)
	}
	if logFormat != "text" && logFormat != "json" {
		return cfg, "", fmt.Errorf("--log-format must be text or json, not %q", logFormat)
	}
	if credentials != "" {
		if cfg.Keys, err = readCredentials(credentials); err != nil {
			return cfg, "", err
		}
	}
	return cfg, logFormat, nil
}

// normalizeBoolFlag lets a string flag be given bare (--memory) like a boolean one.
func normalizeBoolFlag(args []string, name string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if a == "--"+name || a == "-"+name {
			a = "--" + name + "=true"
		}
		out = append(out, a)
	}
	return out
}

// readCredentials reads one key per line: access key ID, secret, account ID. Blank lines
// and lines starting with # are skipped.
func readCredentials(path string) ([]sigv4.Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var keys []sigv4.Key
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 || !accountPattern(fields[2]) {
			return nil, fmt.Errorf("%s:%d: want 'ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID' with a 12-digit account", path, n)
		}
		keys = append(keys, sigv4.Key{AccessKeyID: fields[0], SecretAccessKey: fields[1], Account: fields[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errors.New(path + ": no credentials")
	}
	return keys, nil
}

func accountPattern(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func printBanner(w io.Writer, srv *server.Server, cfg server.Config) {
	d := srv.Defaults()
	storage := "in memory (nothing is written to disk)"
	switch {
	case cfg.Postgres != "":
		storage = "PostgreSQL"
	case !cfg.Memory:
		storage = cfg.DataDir + "/connectlocal.db"
	}
	files := cfg.DataDir + "/blobs"
	switch {
	case cfg.BlobStore == "s3":
		files = "s3://" + cfg.S3.Bucket
		if cfg.S3.Endpoint != "" {
			files += " at " + cfg.S3.Endpoint
		}
	case cfg.BlobStore == "mem" || cfg.BlobStore == "" && cfg.Memory:
		files = "in memory"
	}
	fmt.Fprintf(w, `connectlocal is listening on %s
  state:        %s
  files:        %s
  region:       %s
  auth:         %s
  credentials:  access key %s, secret %s, account %s

Default instance (alias %s)
  InstanceId:          %s
  InstanceArn:         %s
  ContactFlowId:       %s   (Default inbound flow)
  QueueId:             %s   (BasicQueue)
  HoursOfOperationId:  %s   (Basic Hours)
  EmailAddressId:      %s   (%s)

Point every SDK and the AWS CLI at it:
  export AWS_ENDPOINT_URL_CONNECT=%s
  export AWS_ACCESS_KEY_ID=%s
  export AWS_SECRET_ACCESS_KEY=%s
  export AWS_REGION=%s
  export AWS_DEFAULT_REGION=%s
  export CONNECT_INSTANCE_ID=%s
`, srv.URL(), storage, files, cfg.Region, cfg.Auth, connect.DefaultAccessKey, connect.DefaultSecretKey, connect.DefaultAccount,
		connect.DefaultAlias, d.InstanceID, d.InstanceARN, d.ContactFlowID, d.QueueID, d.HoursOfOperationID, d.EmailAddressID, d.EmailAddress,
		srv.URL(), connect.DefaultAccessKey, connect.DefaultSecretKey, cfg.Region, cfg.Region, d.InstanceID)
}
