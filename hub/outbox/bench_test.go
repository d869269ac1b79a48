package outbox_test

import (
	"path/filepath"
	"testing"

	"locatiedesk/data"
)

// BenchmarkCheckIn_Kept is a check-in made without connection: checked
// against the kept list and written to the outbox file with an fsync.
func BenchmarkCheckIn_Kept(b *testing.B) {
	h, _ := demoHub(b)
	tab := openTablet(b, h, filepath.Join(b.TempDir(), "outbox.db"))
	tess := signIn(b, tab)
	l := dayList(b, tess, 1)
	h.Stop()
	e := edit(l, 0)
	tess.CheckIn(b.Context(), e, data.NewClock(7, 0)) // finds the hub gone
	for i := 0; b.Loop(); i++ {
		if err := tess.CheckIn(b.Context(), e, data.NewClock(7, i%60)); err != nil {
			b.Fatal(err)
		}
	}
}
