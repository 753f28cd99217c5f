package connect

import (
	"context"
	"errors"
	"slices"

	"github.com/connectlocal/connectlocal/internal/store"
)

// kindFileIndex records, per resource, the user files attached to it with what the
// quota check needs of each (its size, and whether it still counts), so that
// StartAttachedFileUpload reads one record rather than every file of the resource, or
// of the instance. The record with the ID "*" marks an instance whose indexes are
// complete: every instance gets it at creation; one from a data dir written before the
// index existed, or before it held sizes, gets its indexes built on first use.
const kindFileIndex = "attached-files"

// kindOldFileIndex is the index as it was before it held sizes: the IDs alone. Building
// the new indexes removes these records.
const kindOldFileIndex = "file-index"

// indexComplete is the ID of the marker record.
const indexComplete = "*"

// fileIndex is the record of one resource, ID'd by the resource's ARN.
type fileIndex struct {
	Files []indexedFile
}

// indexedFile is one user file of a fileIndex.
type indexedFile struct {
	ID   string
	Size int64
	// Void is set once the file is REJECTED or FAILED: it no longer counts toward the
	// resource's quotas, which count only PROCESSING and APPROVED files.
	Void bool `json:",omitempty"`
}

func indexEntry(f *fileRecord) indexedFile {
	return indexedFile{ID: f.FileId, Size: *f.FileSizeInBytes, Void: f.FileStatus == fileRejected || f.FileStatus == fileFailed}
}

// counted returns how many files of idx count toward its resource's quotas, and their
// total size.
func (idx fileIndex) counted() (n int, bytes int64) {
	for _, f := range idx.Files {
		if !f.Void {
			n++
			bytes += f.Size
		}
	}
	return n, bytes
}

func fileIndexKey(account, instance, arn string) store.Key {
	return store.Key{Account: account, Kind: kindFileIndex, Instance: instance, ID: arn}
}

// markFileIndexComplete records that every user file of instance is indexed.
func markFileIndexComplete(ctx context.Context, tx store.Tx, account, instance string) error {
	return save(ctx, tx, fileIndexKey(account, instance, indexComplete), "", fileIndex{})
}

// indexFile adds a user file to idx, the index of its resource, and saves it.
func indexFile(ctx context.Context, tx store.Tx, account, instance string, idx fileIndex, f *fileRecord) error {
	idx.Files = append(idx.Files, indexEntry(f))
	return save(ctx, tx, fileIndexKey(account, instance, f.AssociatedResourceArn), "", idx)
}

// reindexFile records in its resource's index that a user file's status changed.
func reindexFile(ctx context.Context, tx store.Tx, account, instance string, f *fileRecord) error {
	idx, err := fileIndexOf(ctx, tx, account, instance, f.AssociatedResourceArn)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(idx.Files, func(e indexedFile) bool { return e.ID == f.FileId })
	if i < 0 {
		return nil // not indexed: nothing counts it
	}
	idx.Files[i] = indexEntry(f)
	return save(ctx, tx, fileIndexKey(account, instance, f.AssociatedResourceArn), "", idx)
}

// unindexFile removes a user file from its resource's index.
func unindexFile(ctx context.Context, tx store.Tx, account, instance string, f *fileRecord) error {
	idx, err := fileIndexOf(ctx, tx, account, instance, f.AssociatedResourceArn)
	if err != nil {
		return err
	}
	idx.Files = slices.DeleteFunc(idx.Files, func(e indexedFile) bool { return e.ID == f.FileId })
	k := fileIndexKey(account, instance, f.AssociatedResourceArn)
	if len(idx.Files) == 0 {
		if err := tx.Delete(ctx, k); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	}
	return save(ctx, tx, k, "", idx)
}

// fileIndexOf returns the index of the resource arn, building the instance's indexes
// first if it has none.
func fileIndexOf(ctx context.Context, tx store.Tx, account, instance, arn string) (fileIndex, error) {
	if err := ensureFileIndex(ctx, tx, account, instance); err != nil {
		return fileIndex{}, err
	}
	var idx fileIndex
	rec, err := tx.Get(ctx, fileIndexKey(account, instance, arn))
	if errors.Is(err, store.ErrNotFound) {
		return idx, nil
	}
	if err != nil {
		return idx, err
	}
	return idx, decodeRecord(rec.Data, &idx)
}

// ensureFileIndex builds the indexes of an instance that has none yet, from one read of
// all its files, and removes its indexes of the old kind.
func ensureFileIndex(ctx context.Context, tx store.Tx, account, instance string) error {
	if built, err := tx.Exists(ctx, fileIndexKey(account, instance, indexComplete)); built || err != nil {
		return err
	}
	files, _, err := decodeAll[fileRecord](ctx, tx, store.Page{Account: account, Kind: kindFile, Instance: instance})
	if err != nil {
		return err
	}
	byResource := map[string]*fileIndex{}
	var order []string
	for _, f := range files {
		if f.System {
			continue
		}
		idx := byResource[f.AssociatedResourceArn]
		if idx == nil {
			idx = &fileIndex{}
			byResource[f.AssociatedResourceArn] = idx
			order = append(order, f.AssociatedResourceArn)
		}
		idx.Files = append(idx.Files, indexEntry(&f))
	}
	for _, arn := range order {
		if err := save(ctx, tx, fileIndexKey(account, instance, arn), "", byResource[arn]); err != nil {
			return err
		}
	}
	old, err := tx.List(ctx, store.Page{Account: account, Kind: kindOldFileIndex, Instance: instance})
	if err != nil {
		return err
	}
	for _, r := range old.Records {
		if err := tx.Delete(ctx, store.Key{Account: account, Kind: kindOldFileIndex, Instance: instance, ID: r.ID}); err != nil {
			return err
		}
	}
	return markFileIndexComplete(ctx, tx, account, instance)
}
