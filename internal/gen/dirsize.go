package gen

import (
	"io/fs"
	"path/filepath"
)

// DirSize is the total size of the regular files under dir, as benchmarks
// report it (b.SetBytes): bytes on disk, compressed files as they are.
func DirSize(dir string) (int64, error) {
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		size += fi.Size()
		return nil
	})
	return size, err
}
