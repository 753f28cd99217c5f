package sqlite

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/store"
)

// Blobs is a blob.Store in the database's blobs table, meant for small objects (see
// blob.Split): a Put is an Update like any other, so its bytes are durable with the
// batch's one fsync rather than with a file's own two. An object is read whole into
// memory, and a Put holds the whole body before it writes.
type Blobs struct {
	db   *DB
	urls *blob.LocalURLs
}

var _ blob.TxWriter = (*Blobs)(nil)

// Blobs returns the database's blob store. urls issues its pre-signed URLs; with nil,
// UploadURL and DownloadURL fail. Objects' Modified times are the wall clock's, not the
// database's clock: the blob sweep compares them with time.Now.
func (db *DB) Blobs(urls *blob.LocalURLs) *Blobs { return &Blobs{db: db, urls: urls} }

const (
	qPutBlob = `INSERT INTO blobs (key, size, modified, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET size = excluded.size, modified = excluded.modified, data = excluded.data`
	qGetBlob  = `SELECT size, modified, data FROM blobs WHERE key = ?`
	qStatBlob = `SELECT size, modified FROM blobs WHERE key = ?`
	// The SELECT's WHERE clause is what lets the parser take ON CONFLICT as the INSERT's,
	// not as a join's ON.
	qCopyBlob = `INSERT INTO blobs (key, size, modified, data) SELECT ?1, size, ?2, data FROM blobs WHERE key = ?3
		ON CONFLICT (key) DO UPDATE SET size = excluded.size, modified = excluded.modified, data = excluded.data`
	qDeleteBlob = `DELETE FROM blobs WHERE key = ?`
	qMoveBlob   = `UPDATE blobs SET key = ?, modified = ? WHERE key = ?`
	// Keys are ASCII below DEL (blob.ValidKey), so every key with the prefix p sorts
	// from p up to p followed by DEL.
	qListBlobs = `SELECT key, size, modified FROM blobs WHERE key >= ?1 AND key < ?1 || char(127) ORDER BY key`
)

func (b *Blobs) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if !blob.ValidKey(key) {
		return blob.ErrInvalidKey
	}
	if size < 0 {
		return blob.ErrSize
	}
	// The declared size is not yet known to be true: it sizes only the first buffer.
	buf := bytes.NewBuffer(make([]byte, 0, min(size, 1<<20)))
	if _, err := buf.ReadFrom(blob.ExactReader(r, size)); err != nil {
		return err
	}
	return b.write(ctx, "put", qPutBlob, key, size, nanos(time.Now()), nonNil(buf.Bytes()))
}

// PutTx stores data under key in tx, a transaction of b's database: the object commits
// with it.
func (b *Blobs) PutTx(ctx context.Context, tx store.Tx, key string, data []byte) error {
	return b.inTx(ctx, tx, "put", key, qPutBlob, key, int64(len(data)), nanos(time.Now()), nonNil(data))
}

// CreateTx is PutTx: the database has one place for a key.
func (b *Blobs) CreateTx(ctx context.Context, tx store.Tx, key string, data []byte) error {
	return b.PutTx(ctx, tx, key, data)
}

// DeleteTx removes the object at key in tx, a transaction of b's database.
func (b *Blobs) DeleteTx(ctx context.Context, tx store.Tx, key string) error {
	return b.inTx(ctx, tx, "delete", key, qDeleteBlob, key)
}

// MoveTx gives the row of src the key dst in tx: the update rewrites the row where it
// is, and the key index's two entries, where a copy wrote the bytes into a new row.
func (b *Blobs) MoveTx(ctx context.Context, stx store.Tx, src, dst string) error {
	t, err := sqliteTx(ctx, stx, "move", src)
	if err != nil {
		return err
	}
	if !blob.ValidKey(dst) {
		return blob.ErrInvalidKey
	}
	if err := t.writable("sqlite: move blob"); err != nil {
		return err
	}
	res, err := t.exec(qMoveBlob, dst, nanos(time.Now()), src)
	if err != nil {
		return fmt.Errorf("sqlite: move blob: %w", err)
	}
	switch n, err := res.RowsAffected(); {
	case err != nil:
		return fmt.Errorf("sqlite: move blob: %w", err)
	case n == 0:
		return blob.ErrNotFound
	}
	return nil
}

// HoldsInTx is true: every object of the store is a row of its database.
func (b *Blobs) HoldsInTx(int64) bool { return true }

// GetTx returns the bytes of the object at key as tx sees it, or blob.ErrNotFound.
func (b *Blobs) GetTx(ctx context.Context, stx store.Tx, key string) ([]byte, error) {
	t, err := sqliteTx(ctx, stx, "get", key)
	if err != nil {
		return nil, err
	}
	row := make([]driver.Value, 3)
	switch err := t.c.queryRow(row, qGetBlob, key); {
	case errors.Is(err, errNoRows):
		return nil, blob.ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("sqlite: get blob: %w", err)
	}
	return nonNil(bytesOf(row[2])), nil
}

// inTx runs one statement that writes key in stx.
func (b *Blobs) inTx(ctx context.Context, stx store.Tx, op, key, query string, values ...any) error {
	t, err := sqliteTx(ctx, stx, op, key)
	if err != nil {
		return err
	}
	if err := t.writable("sqlite: " + op + " blob"); err != nil {
		return err
	}
	if _, err := t.exec(query, values...); err != nil {
		return fmt.Errorf("sqlite: %s blob: %w", op, err)
	}
	return nil
}

// sqliteTx checks key and ctx and returns stx as the SQLite transaction it must be.
func sqliteTx(ctx context.Context, stx store.Tx, op, key string) (*tx, error) {
	if !blob.ValidKey(key) {
		return nil, blob.ErrInvalidKey
	}
	t, ok := stx.(*tx)
	if !ok {
		return nil, fmt.Errorf("sqlite: %s blob: %T is not a SQLite transaction", op, stx)
	}
	return t, ctx.Err()
}

func (b *Blobs) Copy(ctx context.Context, src, dst string) error {
	if !blob.ValidKey(src) || !blob.ValidKey(dst) {
		return blob.ErrInvalidKey
	}
	return b.write(ctx, "copy", qCopyBlob, dst, nanos(time.Now()), src)
}

func (b *Blobs) Delete(ctx context.Context, key string) error {
	if !blob.ValidKey(key) {
		return blob.ErrInvalidKey
	}
	err := b.write(ctx, "delete", qDeleteBlob, key)
	if errors.Is(err, blob.ErrNotFound) {
		return nil
	}
	return err
}

// write runs one statement in an Update, returning blob.ErrNotFound if it changed no row.
func (b *Blobs) write(ctx context.Context, op, query string, values ...any) error {
	return b.db.Update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		if err := t.writable("sqlite: " + op + " blob"); err != nil {
			return err
		}
		res, err := t.exec(query, values...)
		if err != nil {
			return fmt.Errorf("sqlite: %s blob: %w", op, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlite: %s blob: %w", op, err)
		} else if n == 0 {
			return blob.ErrNotFound
		}
		return nil
	})
}

func (b *Blobs) Open(ctx context.Context, key string) (io.ReadCloser, blob.Info, error) {
	row := make([]driver.Value, 3)
	info, err := b.get(ctx, key, qGetBlob, row)
	if err != nil {
		return nil, blob.Info{}, err
	}
	return blob.BytesReader(bytesOf(row[2])), info, nil
}

func (b *Blobs) Stat(ctx context.Context, key string) (blob.Info, error) {
	return b.get(ctx, key, qStatBlob, make([]driver.Value, 2))
}

// get reads key's row into row with query, whose first columns are size and modified.
func (b *Blobs) get(ctx context.Context, key, query string, row []driver.Value) (blob.Info, error) {
	if !blob.ValidKey(key) {
		return blob.Info{}, blob.ErrInvalidKey
	}
	err := b.db.View(ctx, func(stx store.Tx) error {
		return stx.(*tx).c.queryRow(row, query, key)
	})
	if errors.Is(err, errNoRows) {
		return blob.Info{}, blob.ErrNotFound
	}
	if err != nil {
		return blob.Info{}, fmt.Errorf("sqlite: get blob: %w", err)
	}
	return blob.Info{Key: key, Size: integer(row[0]), Modified: fromNanos(integer(row[1]))}, nil
}

func (b *Blobs) List(ctx context.Context, prefix string) ([]blob.Info, error) {
	if !blob.ValidPrefix(prefix) {
		return nil, blob.ErrInvalidKey
	}
	var out []blob.Info
	err := b.db.View(ctx, func(stx store.Tx) error {
		return stx.(*tx).c.queryRows(3, func(row []driver.Value) bool {
			out = append(out, blob.Info{Key: text(row[0]), Size: integer(row[1]), Modified: fromNanos(integer(row[2]))})
			return true
		}, qListBlobs, prefix)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list blobs: %w", err)
	}
	return out, nil
}

func (b *Blobs) UploadURL(ctx context.Context, key, contentType string, size int64, expires time.Duration) (blob.URL, error) {
	return b.urls.Upload(ctx, key, contentType, size, expires)
}

func (b *Blobs) DownloadURL(ctx context.Context, key, fileName, contentType string, expires time.Duration) (blob.URL, error) {
	return b.urls.Download(ctx, key, fileName, contentType, expires)
}
