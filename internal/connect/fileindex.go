package connect

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/connectlocal/connectlocal/internal/store"
)

// kindFileIndex records, per resource, the IDs of the user files attached to it (those
// that count toward its quotas), so that StartAttachedFileUpload reads a resource's
// files rather than every file of the instance. The record with the ID "*" marks an
// instance whose indexes are complete: every instance gets it at creation; one from a
// data dir written before the index existed gets its indexes built on first use.
const kindFileIndex = "file-index"

// indexComplete is the ID of the marker record.
const indexComplete = "*"

// fileIndex is the record of one resource, ID'd by the resource's ARN.
type fileIndex struct {
	Files []string
}

func fileIndexKey(account, instance, arn string) store.Key {
	return store.Key{Account: account, Kind: kindFileIndex, Instance: instance, ID: arn}
}

// markFileIndexComplete records that every user file of instance is indexed.
func markFileIndexComplete(ctx context.Context, tx store.Tx, account, instance string) error {
	return save(ctx, tx, fileIndexKey(account, instance, indexComplete), "", fileIndex{})
}

// attachedFiles returns the user files attached to the resource arn.
func attachedFiles(ctx context.Context, tx store.Tx, account, instance, arn string) ([]fileRecord, error) {
	idx, err := fileIndexOf(ctx, tx, account, instance, arn)
	if err != nil {
		return nil, err
	}
	return idx.records(ctx, tx, account, instance)
}

// records loads the files of idx.
func (idx fileIndex) records(ctx context.Context, tx store.Tx, account, instance string) ([]fileRecord, error) {
	out := make([]fileRecord, 0, len(idx.Files))
	for _, id := range idx.Files {
		var f fileRecord
		err := load(ctx, tx, fileKey(account, instance, id), &f, "File")
		if isNotFound(err) {
			continue // gone without its index entry: nothing to count
		}
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// indexFile adds a user file to idx, the index of its resource, and saves it.
func indexFile(ctx context.Context, tx store.Tx, account, instance string, idx fileIndex, f *fileRecord) error {
	idx.Files = append(idx.Files, f.FileId)
	return save(ctx, tx, fileIndexKey(account, instance, f.AssociatedResourceArn), "", idx)
}

// unindexFile removes a user file from its resource's index.
func unindexFile(ctx context.Context, tx store.Tx, account, instance string, f *fileRecord) error {
	idx, err := fileIndexOf(ctx, tx, account, instance, f.AssociatedResourceArn)
	if err != nil {
		return err
	}
	idx.Files = slices.DeleteFunc(idx.Files, func(id string) bool { return id == f.FileId })
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
	return loadFileIndex(ctx, tx, account, instance, arn)
}

func loadFileIndex(ctx context.Context, tx store.Tx, account, instance, arn string) (fileIndex, error) {
	var idx fileIndex
	rec, err := tx.Get(ctx, fileIndexKey(account, instance, arn))
	if errors.Is(err, store.ErrNotFound) {
		return idx, nil
	}
	if err != nil {
		return idx, err
	}
	return idx, json.Unmarshal(rec.Data, &idx)
}

// ensureFileIndex builds the indexes of an instance that has none yet, from one read of
// all its files.
func ensureFileIndex(ctx context.Context, tx store.Tx, account, instance string) error {
	_, err := tx.Get(ctx, fileIndexKey(account, instance, indexComplete))
	if !errors.Is(err, store.ErrNotFound) {
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
		idx.Files = append(idx.Files, f.FileId)
	}
	for _, arn := range order {
		if err := save(ctx, tx, fileIndexKey(account, instance, arn), "", byResource[arn]); err != nil {
			return err
		}
	}
	return markFileIndexComplete(ctx, tx, account, instance)
}
