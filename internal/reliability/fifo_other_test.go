//go:build !unix

package reliability

import "testing"

func mkfifo(t *testing.T, dir, rel string) { t.Skip("no named pipes on this system") }
