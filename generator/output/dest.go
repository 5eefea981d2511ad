package output

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Resolve returns the real path a build of dest must replace. A symlinked
// destination (public -> /var/www/site, a common setup) is followed to its
// target, even a target that does not exist yet, so that the link stays a
// link and the target gets the new site; replacing the link instead would
// leave the target stale, and removing the "old site" through the link
// would empty the target.
func Resolve(dest string) (string, error) {
	p, err := filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	for range 40 { // as many links as Linux follows
		p = filepath.Join(realPath(filepath.Dir(p)), filepath.Base(p))
		info, err := os.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		target, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = filepath.Clean(target)
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", dest)
}
