package connect

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/store"
)

// Attached files.
//
// A file's metadata is a record of kind "file"; its bytes live in the blob store, where
// connectlocal keeps two kinds of object:
//
//	incoming/<account>/<instance>/<file>        what the client PUT to the upload URL
//	files/<account>/<instance>/<file>/<nonce>   the bytes of an APPROVED file (BlobKey)
//
// CompleteAttachedFileUpload copies the upload to a fresh files/ key before it scans it,
// so what was scanned is what is served, whatever is PUT to the upload URL afterwards. The
// bytes are always written before the metadata that refers to them is committed, and
// removed only after the metadata that referred to them is gone; bytes that nothing refers
// to (a crash between the two, a deleted instance) are removed by SweepBlobs.
const kindFile = "file"

// File statuses.
const (
	fileProcessing = "PROCESSING"
	fileApproved   = "APPROVED"
	fileRejected   = "REJECTED"
	fileFailed     = "FAILED"
)

const (
	// defaultURLExpiry: "The default value is 300" seconds.
	defaultURLExpiry = 300 * time.Second
	// scanTimeout: "Maximum timeout for an attachment scanner: 60 seconds". A scan that
	// takes longer fails the file.
	scanTimeout = 60 * time.Second
)

// fileQuota is how many files, and how many bytes in all, one resource may have attached
// (PROCESSING and APPROVED files count; REJECTED and FAILED ones hold no bytes).
type fileQuota struct {
	count int
	bytes int64
}

// fileQuotas per attachment scope. EMAIL: "File attachments per email: 10" (feature
// specifications), and SES's "the maximum email size (including headers) is 40 MB" for
// the bytes. CASE: Connect documents no per-case figure; 100 files and 1 GiB are
// connectlocal's choice.
var fileQuotas = map[string]fileQuota{
	"EMAIL": {count: 10, bytes: 40 << 20},
	"CASE":  {count: 100, bytes: 1 << 30},
}

// eicar is the EICAR anti-virus test string. A file that contains it anywhere is
// REJECTED, as a scanner would reject a real virus.
var eicar = []byte(`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`)

// fileRecord is a stored file: the metadata the API returns plus what connectlocal keeps
// beside it. Its stored form (saveFile) leaves out what follows from the rest, which the
// file method fills in: the FileArn, and the CreatedBy of a system file (Connect's
// service-linked role). They were a third of the record, and an email writes six
// (records made before hold them).
type fileRecord struct {
	api.AttachedFile
	ContentType string `json:"ContentType"`
	BlobKey     string `json:"BlobKey,omitempty"` // the bytes of an APPROVED file
	// System marks files connectlocal attaches itself (email messages, contact
	// analyses): outside the quotas and the attachment settings.
	System bool `json:"System,omitempty"`
}

func fileKey(account, instance, id string) store.Key {
	return store.Key{Account: account, Kind: kindFile, Instance: instance, ID: id}
}

func uploadKey(account, instance, id string) string {
	return "incoming/" + account + "/" + instance + "/" + id
}

// storedKey names the bytes of an approved file afresh: files/<account>/<instance>/
// <file>.<nonce>. Data dirs from before hold files/<account>/<instance>/<file>/<nonce>,
// which parseBlobKey still reads; in the fs blob store that was a directory per file, a
// mkdir on every approval and a parent directory that also had to be synced.
func storedKey(account, instance, id string) string {
	return "files/" + account + "/" + instance + "/" + id + "." + strings.ToLower(rand.Text())
}

// parseBlobKey reads a key of either layout (and the files/ layout from before); ok is
// false for keys that are not connectlocal's.
func parseBlobKey(key string) (layout, account, instance, id string, ok bool) {
	parts := strings.Split(key, "/")
	switch {
	case len(parts) == 4 && parts[0] == "incoming", len(parts) == 5 && parts[0] == "files":
		return parts[0], parts[1], parts[2], parts[3], true
	case len(parts) == 4 && parts[0] == "files":
		if id, _, found := strings.Cut(parts[3], "."); found {
			return parts[0], parts[1], parts[2], id, true
		}
	}
	return "", "", "", "", false
}

func invalidFile(reason, format string, args ...any) error {
	return api.Errorf(api.InvalidRequest, format, args...).With("Reason", map[string]string{"AttachedFileInvalidRequestExceptionReason": reason})
}

func fileQuotaExceeded(reason, format string, args ...any) error {
	return api.Errorf(api.ServiceQuotaExceeded, format, args...).With("Reason", map[string]string{"AttachedFileServiceQuotaExceededExceptionReason": reason})
}

func urlExpiry(seconds *int32) time.Duration {
	if seconds == nil {
		return defaultURLExpiry
	}
	return time.Duration(*seconds) * time.Second
}

// StartAttachedFileUpload creates a PROCESSING file on an email contact or a case and
// returns a pre-signed URL to PUT its bytes to. The operation lists neither
// ResourceNotFoundException nor IdempotencyException: an unknown instance or resource is
// InvalidRequestException, and a client token reused with another request is
// ResourceConflictException.
func (s *Service) StartAttachedFileUpload(ctx context.Context, in *api.StartAttachedFileUploadRequest) (*api.StartAttachedFileUploadResponse, error) {
	if in.FileUseCaseType != "ATTACHMENT" {
		return nil, api.Errorf(api.InvalidRequest, "Only ATTACHMENT files can be uploaded; %s files are attached by Amazon Connect itself", in.FileUseCaseType)
	}
	if in.CreatedBy != nil && in.CreatedBy.AWSIdentityArn != "" {
		return nil, api.Errorf(api.InvalidRequest, "CreatedBy.AWSIdentityArn cannot be set: it is the caller's identity, recorded when ConnectUserArn is absent")
	}
	// The file's ID, and so its upload URL, are made before the transaction: signing the
	// URL need not hold the store's one writer. (A URL signed for a request the
	// transaction then refuses, or answers with its first response, is never handed out.)
	id := s.newID()
	var upload blob.URL
	if inst, ok := instanceID(CallerFrom(ctx).Account, in.InstanceId); ok {
		var err error
		if upload, err = s.uploadURL(ctx, inst, id, in, urlExpiry(in.UrlExpiryInSeconds)); err != nil {
			return nil, err
		}
	}
	var out *api.StartAttachedFileUploadResponse
	token := newClientToken("StartAttachedFileUpload", true, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return asInvalidRequest(err)
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.StartAttachedFileUploadResponse, error) {
			return s.startUpload(ctx, tx, inst, in, id, upload)
		})
		var apiErr *api.Error
		if errors.As(err, &apiErr) && apiErr.Code == api.Idempotency {
			return api.Errorf(api.ResourceConflict, "%s", apiErr.Message)
		}
		return err
	})
	return out, err
}

// asInvalidRequest turns ResourceNotFoundException into InvalidRequestException, for
// operations that do not list the former.
func asInvalidRequest(err error) error {
	var apiErr *api.Error
	if errors.As(err, &apiErr) && apiErr.Code == api.ResourceNotFound {
		return api.Errorf(api.InvalidRequest, "%s", apiErr.Message)
	}
	return err
}

// uploadURL signs the URL that uploads the bytes of file id.
func (s *Service) uploadURL(ctx context.Context, instance, id string, in *api.StartAttachedFileUploadRequest, expires time.Duration) (blob.URL, error) {
	u, err := s.blobs.UploadURL(ctx, uploadKey(CallerFrom(ctx).Account, instance, id), contentType(fileExtension(in.FileName)), *in.FileSizeInBytes, expires)
	if err != nil {
		return blob.URL{}, fmt.Errorf("upload URL for file %s: %w", id, err)
	}
	return u, nil
}

// startUpload records file id, whose upload URL u is, after the checks of its resource,
// name, type, size and the resource's quota.
func (s *Service) startUpload(ctx context.Context, tx store.Tx, instance string, in *api.StartAttachedFileUploadRequest, id string, u blob.URL) (*api.StartAttachedFileUploadResponse, error) {
	account := CallerFrom(ctx).Account
	scope, err := s.attachmentScope(ctx, tx, account, instance, in.AssociatedResourceArn)
	if err != nil {
		return nil, err
	}
	if err := checkFileName(in.FileName); err != nil {
		return nil, err
	}
	cfg, err := filesConfig(ctx, tx, account, instance, scope)
	if err != nil {
		return nil, err
	}
	ext := fileExtension(in.FileName)
	if ext == "" || !allows(cfg, ext) {
		var allowed []string
		if cfg.ExtensionConfiguration != nil {
			for _, a := range cfg.ExtensionConfiguration.AllowedExtensions {
				allowed = append(allowed, "."+a.Extension)
			}
		}
		return nil, invalidFile("INVALID_FILE_TYPE", "Files of type %q cannot be attached to %s resources; allowed: %s", "."+ext, scope, strings.Join(allowed, " "))
	}
	size := *in.FileSizeInBytes
	if limit := *cfg.MaximumSizeLimitInBytes; size > limit {
		return nil, invalidFile("INVALID_FILE_SIZE", "File size %d bytes exceeds the maximum of %d bytes for %s attachments", size, limit, scope)
	}
	idx, err := fileIndexOf(ctx, tx, account, instance, in.AssociatedResourceArn)
	if err != nil {
		return nil, err
	}
	if err := checkFileQuota(scope, in.AssociatedResourceArn, idx, size); err != nil {
		return nil, err
	}
	createdBy := &api.CreatedByInfo{AWSIdentityArn: CallerFrom(ctx).ARN()}
	if in.CreatedBy != nil && in.CreatedBy.ConnectUserArn != "" {
		if a, ok := parseARN(in.CreatedBy.ConnectUserArn); !ok || a.Kind != "agent" || a.Account != account || a.Instance != instance {
			return nil, api.Errorf(api.InvalidRequest, "CreatedBy.ConnectUserArn %s is not the ARN of a user of instance %s", in.CreatedBy.ConnectUserArn, instance)
		}
		createdBy = &api.CreatedByInfo{ConnectUserArn: in.CreatedBy.ConnectUserArn}
	}
	f := &fileRecord{
		AttachedFile: api.AttachedFile{
			AssociatedResourceArn: in.AssociatedResourceArn, CreatedBy: createdBy, CreationTime: api.ISOTime(s.now()),
			FileArn: s.arn(account, instance, kindFile, id), FileId: id, FileName: in.FileName, FileSizeInBytes: api.Int64(size),
			FileStatus: fileProcessing, FileUseCaseType: in.FileUseCaseType, Tags: in.Tags,
		},
		ContentType: contentType(ext),
	}
	if err := saveFile(ctx, tx, account, instance, f); err != nil {
		return nil, err
	}
	if err := indexFile(ctx, tx, account, instance, idx, f); err != nil {
		return nil, err
	}
	return &api.StartAttachedFileUploadResponse{
		CreatedBy: f.CreatedBy, CreationTime: f.CreationTime, FileArn: f.FileArn, FileId: f.FileId, FileStatus: f.FileStatus,
		UploadUrlMetadata: &api.UploadUrlMetadata{Url: u.URL, UrlExpiry: api.ISOTime(u.Expires), HeadersToInclude: u.Headers},
	}, nil
}

// caseARN is the ARN of an Amazon Connect Cases case.
var caseARN = regexp.MustCompile(`^arn:aws[a-z-]*:cases:[a-z0-9-]+:([0-9]{12}):domain/[A-Za-z0-9-]+/case/[A-Za-z0-9-]+$`)

// attachmentScope returns the scope of the resource a file is attached to, which must be
// one StartAttachedFileUpload supports: EMAIL for an email contact of the instance, CASE
// for a case of the caller's account (connectlocal has no Cases domain to look it up in).
func (s *Service) attachmentScope(ctx context.Context, tx store.Tx, account, instance, arn string) (string, error) {
	if a, ok := parseARN(arn); ok && a.Kind == kindContact {
		if a.Account != account || a.Instance != instance || a.Region != s.region {
			return "", api.Errorf(api.InvalidRequest, "AssociatedResourceArn %s is not a contact of instance %s", arn, instance)
		}
		rec, err := tx.Get(ctx, store.Key{Account: account, Kind: kindContact, Instance: instance, ID: a.ID})
		if errors.Is(err, store.ErrNotFound) {
			return "", api.Errorf(api.InvalidRequest, "Contact not found: %s", arn)
		}
		if err != nil {
			return "", err
		}
		channel, err := memberString(rec.Data, "Channel")
		if err != nil {
			return "", err
		}
		if channel != "EMAIL" {
			return "", api.Errorf(api.InvalidRequest, "Files can be attached to email contacts and cases only; contact %s is a %s contact", a.ID, channel)
		}
		return "EMAIL", nil
	}
	if m := caseARN.FindStringSubmatch(arn); m != nil {
		if m[1] != account {
			return "", api.Errorf(api.InvalidRequest, "AssociatedResourceArn %s is a case of another account", arn)
		}
		return "CASE", nil
	}
	return "", api.Errorf(api.InvalidRequest, "AssociatedResourceArn must be the ARN of an email contact or of a case, not %s", arn)
}

// memberString returns the string member name of the JSON object data, or "" if it has
// none, reading data no further than that member: a stored email contact holds its
// whole message, which a decode of the record would scan on the store's one writer.
func memberString(data []byte, name string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil {
		return "", err
	} else if t != json.Delim('{') {
		return "", errors.New("not a JSON object")
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return "", err
		}
		if key == name {
			var s string
			return s, dec.Decode(&s)
		}
		var skipped json.RawMessage
		if err := dec.Decode(&skipped); err != nil {
			return "", err
		}
	}
	return "", nil
}

// checkFileName refuses names the model's constraints let through but no file system or
// mail client takes: path separators, surrounding spaces, and names that are only an
// extension. (Control characters and lengths outside 1-256 are refused by the model's own
// validation, before this.)
func checkFileName(name string) error {
	base := strings.TrimSuffix(name, path.Ext(name))
	switch {
	case strings.ContainsAny(name, `/\`):
		return invalidFile("INVALID_FILE_NAME", "File name %q may not contain / or \\", name)
	case strings.TrimSpace(name) != name:
		return invalidFile("INVALID_FILE_NAME", "File name %q may not start or end with white space", name)
	case strings.Trim(base, ". ") == "":
		return invalidFile("INVALID_FILE_NAME", "File name %q has no name before its extension", name)
	}
	return nil
}

// fileExtension is the name's extension in lower case, without its dot.
func fileExtension(name string) string {
	return strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
}

// contentTypes of the extensions Connect accepts by default, and of what connectlocal
// attaches itself; anything else is application/octet-stream. A fixed table, so that the
// answer does not depend on the machine's MIME database.
var contentTypes = map[string]string{
	"csv": "text/csv", "doc": "application/msword",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"heic": "image/heic", "jfif": "image/jpeg", "jpeg": "image/jpeg", "jpg": "image/jpeg", "mov": "video/quicktime",
	"mp4": "video/mp4", "pdf": "application/pdf", "png": "image/png", "ppt": "application/vnd.ms-powerpoint",
	"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", "rtf": "application/rtf",
	"txt": "text/plain", "wav": "audio/wav", "xls": "application/vnd.ms-excel",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"json": "application/json", "html": "text/html", "eml": "message/rfc822", "gif": "image/gif", "zip": "application/zip",
}

func contentType(ext string) string {
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	return "application/octet-stream"
}

// checkFileQuota refuses a file that would take the resource arn, whose index is idx,
// past its scope's quotas.
func checkFileQuota(scope, arn string, idx fileIndex, size int64) error {
	q, ok := fileQuotas[scope]
	if !ok {
		return nil
	}
	count, total := idx.counted()
	if count+1 > q.count {
		return fileQuotaExceeded("TOTAL_FILE_COUNT_EXCEEDED", "A %s resource can have at most %d attached files; %s has %d", scope, q.count, arn, count)
	}
	if total+size > q.bytes {
		return fileQuotaExceeded("TOTAL_FILE_SIZE_EXCEEDED", "The files attached to a %s resource can total at most %d bytes; %s has %d and this file adds %d", scope, q.bytes, arn, total, size)
	}
	return nil
}

// file loads a file of an instance by ID or ARN. A file attached to another resource than
// associatedARN is as unknown as one that does not exist.
func (s *Service) file(ctx context.Context, tx store.Tx, account, instance, id, associatedARN string) (*fileRecord, error) {
	var f fileRecord
	if err := load(ctx, tx, fileKey(account, instance, idFromARN(id)), &f, "File"); err != nil {
		return nil, err
	}
	if f.AssociatedResourceArn != associatedARN {
		return nil, api.Errorf(api.ResourceNotFound, "File not found: %s", id)
	}
	// What saveFile leaves out because it follows from the rest.
	if f.FileArn == "" {
		f.FileArn = s.arn(account, instance, kindFile, f.FileId)
	}
	if f.CreatedBy == nil && f.System {
		f.CreatedBy = &api.CreatedByInfo{AWSIdentityArn: serviceRoleARN(account)}
	}
	return &f, nil
}

// instanceFile loads a file of the instance instanceIDOrARN names, as file does, and
// returns it with the instance's ID.
func (s *Service) instanceFile(ctx context.Context, tx store.Tx, instanceIDOrARN, id, associatedARN string) (string, *fileRecord, error) {
	inst, err := s.instance(ctx, tx, instanceIDOrARN)
	if err != nil {
		return "", nil, err
	}
	f, err := s.file(ctx, tx, CallerFrom(ctx).Account, inst, id, associatedARN)
	return inst, f, err
}

// mustBeProcessing refuses to complete a file a second time. The operation's model lists
// no conflict error, so that is InvalidRequestException.
func mustBeProcessing(f *fileRecord) error {
	if f.FileStatus != fileProcessing {
		return api.Errorf(api.InvalidRequest, "The upload of file %s is already complete; its status is %s", f.FileId, f.FileStatus)
	}
	return nil
}

// CompleteAttachedFileUpload scans what was uploaded and settles the file: FAILED when
// the upload is missing or short, REJECTED when it carries the EICAR test string,
// APPROVED otherwise. The scan reads up to 100 MB outside any transaction, so it takes
// two: one to check that the file is PROCESSING, one to record the outcome if it still
// is (a concurrent Complete or Delete wins otherwise, and this one's copy is dropped).
// An upload the store's own database holds takes one (completeInTx).
func (s *Service) CompleteAttachedFileUpload(ctx context.Context, in *api.CompleteAttachedFileUploadRequest) (*api.CompleteAttachedFileUploadResponse, error) {
	if s.txBlobs != nil {
		switch done, err := s.completeInTx(ctx, in); {
		case err != nil:
			return nil, err
		case done:
			return &api.CompleteAttachedFileUploadResponse{}, nil
		}
	}
	account := CallerFrom(ctx).Account
	var f *fileRecord
	var instance string
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		if instance, f, err = s.instanceFile(ctx, tx, in.InstanceId, in.FileId, in.AssociatedResourceArn); err != nil {
			return err
		}
		return mustBeProcessing(f)
	})
	if err != nil {
		return nil, err
	}
	status, key, err := s.scanUpload(ctx, account, instance, f)
	if err != nil {
		return nil, err
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		cur, err := s.file(ctx, tx, account, instance, f.FileId, in.AssociatedResourceArn)
		if err != nil {
			return err
		}
		if err := mustBeProcessing(cur); err != nil {
			return err
		}
		cur.FileStatus, cur.BlobKey = status, key
		if err := saveOutcome(ctx, tx, account, instance, cur); err != nil {
			return err
		}
		if s.txBlobs != nil {
			// Last, so that only a failed commit can follow it (see Split.DeleteTx).
			return s.txBlobs.DeleteTx(ctx, tx, uploadKey(account, instance, f.FileId))
		}
		return nil
	})
	if err != nil {
		if key != "" {
			s.dropBlobs(ctx, key)
		}
		return nil, err
	}
	if s.txBlobs == nil {
		s.dropBlobs(ctx, uploadKey(account, instance, f.FileId))
	}
	return &api.CompleteAttachedFileUploadResponse{}, nil
}

// completeInTx completes a file whose upload is in the store's database (a small one,
// with blob.Split) in one transaction: it reads the upload, scans it in memory, and
// writes the stored copy, the outcome and the upload's removal together. done is false,
// and nothing written, when the database does not hold the upload.
func (s *Service) completeInTx(ctx context.Context, in *api.CompleteAttachedFileUploadRequest) (done bool, err error) {
	account := CallerFrom(ctx).Account
	err = s.store.Update(ctx, func(tx store.Tx) error {
		done = false
		instance, f, err := s.instanceFile(ctx, tx, in.InstanceId, in.FileId, in.AssociatedResourceArn)
		if err != nil {
			return err
		}
		if err := mustBeProcessing(f); err != nil {
			return err
		}
		upload := uploadKey(account, instance, f.FileId)
		data, err := s.txBlobs.GetTx(ctx, tx, upload)
		if errors.Is(err, blob.ErrNotFound) {
			return nil // large, or never uploaded: the general path tells which
		}
		if err != nil {
			return err
		}
		if f.FileStatus, err = verdict(bytes.NewReader(data), int64(len(data)), *f.FileSizeInBytes); err != nil {
			return err
		}
		if f.FileStatus == fileApproved {
			f.BlobKey = storedKey(account, instance, f.FileId) // new (its nonce), as MoveTx needs
		}
		if err := saveOutcome(ctx, tx, account, instance, f); err != nil {
			return err
		}
		done = true
		// Last, so that only a failed commit can follow it (see Split.DeleteTx). An
		// APPROVED upload becomes the stored object: its row, renamed, not written
		// again. No PUT can change it after that: PutUpload takes none once the file
		// is not PROCESSING.
		if f.FileStatus != fileApproved {
			return s.txBlobs.DeleteTx(ctx, tx, upload)
		}
		return s.txBlobs.MoveTx(ctx, tx, upload, f.BlobKey)
	})
	return done, err
}

// saveOutcome saves a completed file; one that is not APPROVED stops counting toward its
// resource's quotas.
func saveOutcome(ctx context.Context, tx store.Tx, account, instance string, f *fileRecord) error {
	if err := saveFile(ctx, tx, account, instance, f); err != nil {
		return err
	}
	if f.FileStatus == fileApproved {
		return nil
	}
	return reindexFile(ctx, tx, account, instance, f)
}

var errScanTimeout = errors.New("the attachment scan took longer than 60 seconds")

// scanUpload copies a file's upload to a new files/ key, so that nothing PUT to the upload
// URL later changes what is scanned, and scans the copy. It returns APPROVED with the
// copy's key, or another status and no key (the copy removed).
func (s *Service) scanUpload(ctx context.Context, account, instance string, f *fileRecord) (status, key string, err error) {
	ctx, cancel := context.WithTimeoutCause(ctx, scanTimeout, errScanTimeout)
	defer cancel()
	key = storedKey(account, instance, f.FileId)
	switch err := s.blobs.Copy(ctx, uploadKey(account, instance, f.FileId), key); {
	case errors.Is(err, blob.ErrNotFound):
		return fileFailed, "", nil // nothing was uploaded
	case context.Cause(ctx) == errScanTimeout:
		s.dropBlobs(ctx, key)
		return fileFailed, "", nil
	case err != nil:
		return "", "", err
	}
	status, err = s.scan(ctx, key, *f.FileSizeInBytes)
	if context.Cause(ctx) == errScanTimeout {
		status, err = fileFailed, nil
	}
	if err != nil || status != fileApproved {
		s.dropBlobs(ctx, key)
		return status, "", err
	}
	return fileApproved, key, nil
}

// scan reads the object at key: FAILED if its size is not the declared one, REJECTED if
// it contains the EICAR test string, APPROVED otherwise.
func (s *Service) scan(ctx context.Context, key string, size int64) (string, error) {
	rc, info, err := s.blobs.Open(ctx, key)
	if errors.Is(err, blob.ErrNotFound) {
		return fileFailed, nil
	}
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return verdict(rc, info.Size, size)
}

// verdict is the scan's outcome for an object of n bytes, read from r, that was declared
// to be size bytes.
func verdict(r io.Reader, n, size int64) (string, error) {
	if n != size {
		return fileFailed, nil
	}
	sc := &eicarScanner{}
	_, err := io.Copy(sc, r)
	switch {
	case sc.found:
		return fileRejected, nil
	case err != nil:
		return "", err
	case sc.n != size:
		return fileFailed, nil
	}
	return fileApproved, nil
}

// eicarScanner is an io.Writer that looks for the EICAR string across writes. It stops
// the copy feeding it once it has found it.
type eicarScanner struct {
	tail  []byte // the last len(eicar)-1 bytes written
	n     int64
	found bool
}

var errFound = errors.New("EICAR test string found")

func (e *eicarScanner) Write(p []byte) (int, error) {
	e.n += int64(len(p))
	keep := len(eicar) - 1
	joint := append(slices.Clip(e.tail), p[:min(len(p), keep)]...)
	if bytes.Contains(joint, eicar) || bytes.Contains(p, eicar) {
		e.found = true
		return len(p), errFound
	}
	both := append(slices.Clip(e.tail), p[max(0, len(p)-keep):]...)
	e.tail = both[max(0, len(both)-keep):]
	return len(p), nil
}

// dropBlobs removes objects once nothing refers to them any more. A failure is logged
// and left to SweepBlobs.
func (s *Service) dropBlobs(ctx context.Context, keys ...string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		if err := s.blobs.Delete(ctx, k); err != nil {
			s.logger.WarnContext(ctx, "remove attached file bytes; the sweep will retry", "key", k, "err", err)
		}
	}
}

// GetAttachedFile returns a file's metadata, and a download URL when it is APPROVED.
func (s *Service) GetAttachedFile(ctx context.Context, in *api.GetAttachedFileRequest) (*api.GetAttachedFileResponse, error) {
	var out *api.GetAttachedFileResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		_, f, err := s.instanceFile(ctx, tx, in.InstanceId, in.FileId, in.AssociatedResourceArn)
		if err != nil {
			return err
		}
		out = &api.GetAttachedFileResponse{
			AssociatedResourceArn: f.AssociatedResourceArn, CreatedBy: f.CreatedBy, CreationTime: f.CreationTime, FileArn: f.FileArn,
			FileId: f.FileId, FileName: f.FileName, FileSizeInBytes: f.FileSizeInBytes, FileStatus: f.FileStatus,
			FileUseCaseType: f.FileUseCaseType, Tags: f.Tags,
		}
		if f.FileStatus == fileApproved && f.BlobKey != "" {
			u, err := s.blobs.DownloadURL(ctx, f.BlobKey, f.FileName, f.ContentType, urlExpiry(in.UrlExpiryInSeconds))
			if err != nil {
				return fmt.Errorf("download URL for file %s: %w", f.FileId, err)
			}
			out.DownloadUrlMetadata = &api.DownloadUrlMetadata{Url: u.URL, UrlExpiry: api.ISOTime(u.Expires)}
		}
		return nil
	})
	return out, err
}

// BatchGetAttachedFileMetadata returns the files found in Files and every other ID (not a
// file, deleted, of another instance or resource) in Errors, with ErrorCode "404" (the
// model's "Status code describing the failure"), without failing the call.
func (s *Service) BatchGetAttachedFileMetadata(ctx context.Context, in *api.BatchGetAttachedFileMetadataRequest) (*api.BatchGetAttachedFileMetadataResponse, error) {
	var out api.BatchGetAttachedFileMetadataResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, id := range in.FileIds {
			if seen[id] {
				continue
			}
			seen[id] = true
			f, err := s.file(ctx, tx, CallerFrom(ctx).Account, inst, id, in.AssociatedResourceArn)
			var apiErr *api.Error
			if errors.As(err, &apiErr) && apiErr.Code == api.ResourceNotFound {
				out.Errors = append(out.Errors, api.AttachedFileError{FileId: id, ErrorCode: "404", ErrorMessage: apiErr.Message})
				continue
			}
			if err != nil {
				return err
			}
			out.Files = append(out.Files, f.AttachedFile)
		}
		return nil
	})
	return &out, err
}

// DeleteAttachedFile removes the file's metadata, then its bytes.
func (s *Service) DeleteAttachedFile(ctx context.Context, in *api.DeleteAttachedFileRequest) (*api.DeleteAttachedFileResponse, error) {
	account := CallerFrom(ctx).Account
	var keys []string
	err := s.store.Update(ctx, func(tx store.Tx) error {
		instance, f, err := s.instanceFile(ctx, tx, in.InstanceId, in.FileId, in.AssociatedResourceArn)
		if err != nil {
			return err
		}
		keys = []string{uploadKey(account, instance, f.FileId)}
		if f.BlobKey != "" {
			keys = append(keys, f.BlobKey)
		}
		if !f.System {
			if err := unindexFile(ctx, tx, account, instance, f); err != nil {
				return err
			}
		}
		return tx.Delete(ctx, fileKey(account, instance, f.FileId))
	})
	if err != nil {
		return nil, err
	}
	s.dropBlobs(ctx, keys...)
	return &api.DeleteAttachedFileResponse{}, nil
}

// systemFile is a file that connectlocal itself produces for a resource: an email
// message, its plain-text or redacted renditions, a contact analysis. useCase is its
// FileUseCaseType (EMAIL_MESSAGE, EMAIL_MESSAGE_PLAIN_TEXT, EMAIL_MESSAGE_REDACTED,
// EMAIL_MESSAGE_PLAIN_TEXT_REDACTED, CONTACT_ANALYSIS). System files are APPROVED at
// once, count toward no quota and pass no attachment settings; CreatedBy is the
// instance's service-linked role.
type systemFile struct {
	name, useCase, contentType string
	content                    []byte
}

// stagedFile is a system file with its ID and blob key, whose bytes are stored (or, in
// StartEmailContact, are to be, in the transaction that records it), not yet recorded.
type stagedFile struct {
	systemFile
	id, key string
	// record is the file's record, encoded ahead of the transaction that saves it
	// (encodeRecord) for the resource of ARN associated; nil to make it there.
	record          []byte
	associated, arn string
}

// newStagedFiles gives files their IDs and blob keys.
func (s *Service) newStagedFiles(account, instance string, files ...systemFile) []stagedFile {
	staged := make([]stagedFile, len(files))
	for i, f := range files {
		id := s.newID()
		staged[i] = stagedFile{systemFile: f, id: id, key: storedKey(account, instance, id)}
	}
	return staged
}

// stageSystemFiles stores the bytes of files and returns them ready to be recorded.
//
// Given the transaction that records them, and a blob store that writes in transactions,
// it writes them in tx: they commit with their records, or not at all. Otherwise it
// writes them at once, concurrently, and they are durable before any metadata refers to
// them. Callers stage the files a transaction would not hold (see beforeTx) before the
// transaction that records them, so that their fsyncs hold neither each other nor the
// store's one writer; if that transaction does not commit, SweepBlobs removes the
// bytes.
func (s *Service) stageSystemFiles(ctx context.Context, tx store.Tx, account, instance string, files ...systemFile) ([]stagedFile, error) {
	staged := s.newStagedFiles(account, instance, files...)
	return staged, s.storeStaged(ctx, tx, staged)
}

// storeStaged stores the bytes of staged files as stageSystemFiles says.
func (s *Service) storeStaged(ctx context.Context, tx store.Tx, staged []stagedFile) error {
	if tx != nil && s.txBlobs != nil {
		for _, f := range staged {
			if err := s.txBlobs.CreateTx(ctx, tx, f.key, f.content); err != nil { // storedKey is new
				return fmt.Errorf("store %s file %s: %w", f.useCase, f.id, err)
			}
		}
		return nil
	}
	errs := make([]error, len(staged))
	var wg sync.WaitGroup
	for i, f := range staged {
		wg.Go(func() {
			if err := s.blobs.Put(ctx, f.key, bytes.NewReader(f.content), int64(len(f.content))); err != nil {
				errs[i] = fmt.Errorf("store %s file %s: %w", f.useCase, f.id, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// beforeTx splits files into those to store before the transaction that records them
// and those to write in it: a blob store that writes in transactions holds there only
// objects up to a size (a Split keeps the larger ones in its file system), and those
// others, stored from inside the transaction, would hold the store's one writer, and
// every other write, for their writes and fsyncs. With a blob store that does not write
// in transactions, every file goes before.
func (s *Service) beforeTx(files []systemFile) (early, inTx []systemFile) {
	for _, f := range files {
		if s.txBlobs != nil && s.txBlobs.HoldsInTx(int64(len(f.content))) {
			inTx = append(inTx, f)
		} else {
			early = append(early, f)
		}
	}
	return early, inTx
}

// recordSystemFile records a staged file as attached to associatedARN, in the caller's
// transaction, and returns its ARN.
func (s *Service) recordSystemFile(ctx context.Context, tx store.Tx, account, instance, associatedARN string, f stagedFile) (string, error) {
	if f.record == nil || f.associated != associatedARN {
		if err := s.encodeRecord(account, instance, associatedARN, &f); err != nil {
			return "", err
		}
	}
	return f.arn, put(ctx, tx, fileKey(account, instance, f.id), "", f.record)
}

// encodeRecord makes the record of a staged system file attached to associatedARN.
// StartEmailContact makes its message files' records before its transaction, so that
// the store's one writer only writes them.
func (s *Service) encodeRecord(account, instance, associatedARN string, f *stagedFile) error {
	rec := &fileRecord{
		AttachedFile: api.AttachedFile{
			AssociatedResourceArn: associatedARN,
			CreatedBy:             &api.CreatedByInfo{AWSIdentityArn: serviceRoleARN(account)},
			CreationTime:          api.ISOTime(s.now()), FileArn: s.arn(account, instance, kindFile, f.id), FileId: f.id, FileName: f.name,
			FileSizeInBytes: api.Int64(int64(len(f.content))), FileStatus: fileApproved, FileUseCaseType: f.useCase,
		},
		ContentType: f.contentType, BlobKey: f.key, System: true,
	}
	data, err := fileRecordData(rec)
	f.record, f.associated, f.arn = data, associatedARN, rec.FileArn
	return err
}

// saveFile stores a file's record.
func saveFile(ctx context.Context, tx store.Tx, account, instance string, f *fileRecord) error {
	data, err := fileRecordData(f)
	if err != nil {
		return err
	}
	return put(ctx, tx, fileKey(account, instance, f.FileId), "", data)
}

// fileRecordData encodes a file's record, less what follows from the rest, which the
// file method fills in again: its ARN, and a system file's creator (see fileRecord).
func fileRecordData(f *fileRecord) ([]byte, error) {
	rec := *f
	rec.FileArn = ""
	if rec.System {
		rec.CreatedBy = nil
	}
	return json.Marshal(&rec)
}

// deleteFile removes a file's metadata in the caller's transaction. Its bytes cannot go
// before the caller commits; SweepBlobs removes them afterwards.
func (s *Service) deleteFile(ctx context.Context, tx store.Tx, account, instance, fileID string) error {
	err := tx.Delete(ctx, fileKey(account, instance, fileID))
	if errors.Is(err, store.ErrNotFound) {
		return api.Errorf(api.ResourceNotFound, "File not found: %s", fileID)
	}
	return err
}

// serviceRoleARN is the service-linked role Connect acts as in an account.
func serviceRoleARN(account string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect", account)
}

// UploadRefused is PutUpload's error for a correctly signed upload it does not take; its
// text is what the client is told.
type UploadRefused struct{ Reason string }

func (e *UploadRefused) Error() string { return e.Reason }

// PutUpload stores the bytes PUT to the upload URL of key while the file the key belongs
// to is PROCESSING. The URL's signature holds until it expires, but once the file is
// completed or deleted its upload URL is refused (*UploadRefused). An upload the blob
// store keeps in the store's database (a small one, with blob.Split) is checked and
// written in one transaction: no PUT can store it after Complete has removed it, and
// the PUT waits for one commit, not also for a read behind the commits in flight. A
// larger one is checked, then streamed to the blob store.
func (s *Service) PutUpload(ctx context.Context, key string, body io.Reader, size int64) error {
	layout, account, instance, id, ok := parseBlobKey(key)
	if !ok || layout != "incoming" {
		return &UploadRefused{"This URL does not upload an attached file."}
	}
	if size < 0 {
		return blob.ErrSize
	}
	file := fileKey(account, instance, id)
	if s.txBlobs == nil || !s.txBlobs.HoldsInTx(size) {
		if err := s.store.View(ctx, func(tx store.Tx) error { return acceptUpload(ctx, tx, file) }); err != nil {
			return err
		}
		return s.blobs.Put(ctx, key, body, size)
	}
	data := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := data.ReadFrom(blob.ExactReader(body, size)); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx store.Tx) error {
		if err := acceptUpload(ctx, tx, file); err != nil {
			return err
		}
		return s.txBlobs.PutTx(ctx, tx, key, data.Bytes())
	})
}

// acceptUpload refuses an upload to the file k unless the file is PROCESSING.
func acceptUpload(ctx context.Context, tx store.Tx, k store.Key) error {
	var f fileRecord
	err := load(ctx, tx, k, &f, "File")
	var apiErr *api.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == api.ResourceNotFound:
		return &UploadRefused{fmt.Sprintf("The attached file %s no longer exists.", k.ID)}
	case err != nil:
		return err
	case f.FileStatus != fileProcessing:
		return &UploadRefused{fmt.Sprintf("The upload of attached file %s is complete (%s); this URL can no longer be used.", k.ID, f.FileStatus)}
	}
	return nil
}

// SweepBlobs removes the stored bytes that no file refers to and that were written before
// olderThan, by the wall clock the blob store keeps: uploads to files that were completed,
// deleted or never committed, copies whose Complete failed, bytes of deleted files and
// instances. Newer bytes are left alone, because the transaction that will refer to them
// may not have committed yet. Objects outside connectlocal's two layouts are never
// touched. It returns how many objects it removed.
func (s *Service) SweepBlobs(ctx context.Context, olderThan time.Time) (int, error) {
	var candidates []string
	for _, prefix := range []string{"incoming/", "files/"} {
		infos, err := s.blobs.List(ctx, prefix)
		if err != nil {
			return 0, err
		}
		for _, i := range infos {
			if i.Modified.Before(olderThan) {
				candidates = append(candidates, i.Key)
			}
		}
	}
	if len(candidates) == 0 {
		return 0, nil
	}
	var orphans []string
	err := s.store.View(ctx, func(tx store.Tx) error {
		for _, key := range candidates {
			used, err := blobInUse(ctx, tx, key)
			if err != nil {
				return err
			}
			if !used {
				orphans = append(orphans, key)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, key := range orphans {
		if err := s.blobs.Delete(ctx, key); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// blobInUse reports whether a file refers to the object at key: an upload while its file
// is PROCESSING, a files/ object while it is its file's BlobKey.
func blobInUse(ctx context.Context, tx store.Tx, key string) (bool, error) {
	layout, account, instance, id, ok := parseBlobKey(key)
	if !ok {
		return true, nil
	}
	rec, err := tx.Get(ctx, fileKey(account, instance, id))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var f fileRecord
	if err := decodeRecord(rec.Data, &f); err != nil {
		return false, err
	}
	if layout == "incoming" {
		return f.FileStatus == fileProcessing, nil
	}
	return f.BlobKey == key, nil
}
