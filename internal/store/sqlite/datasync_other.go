//go:build !linux

package sqlite

import "os"

// datasync is f.Sync where fdatasync is not to be had.
func datasync(f *os.File) error { return f.Sync() }

// startWriteback does nothing where sync_file_range is not to be had.
func startWriteback(*os.File) error { return nil }
