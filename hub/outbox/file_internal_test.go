package outbox

import (
	"path/filepath"
	"testing"

	"locatiedesk/data"
)

// TestForgetListsBefore: the kept lists of days gone by go, the rest stays.
func TestForgetListsBefore(t *testing.T) {
	f, err := openFile(filepath.Join(t.TempDir(), "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	day := data.NewDate(2026, 11, 23)
	for i := -3; i <= 1; i++ {
		for group := data.ID(1); group <= 2; group++ {
			d := day.AddDays(i)
			if err := f.keep(cacheKey("DayList", group, d), data.DayList{Date: d, Group: data.Group{ID: group}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.keep(cacheKey("Locations"), []data.Location{{ID: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := f.forgetListsBefore(day.AddDays(-1)); err != nil {
		t.Fatal(err)
	}
	for i := -3; i <= 1; i++ {
		for group := data.ID(1); group <= 2; group++ {
			var l data.DayList
			_, ok, err := f.kept(cacheKey("DayList", group, day.AddDays(i)), &l)
			if err != nil || ok != (i >= -1) {
				t.Errorf("group %d, day %+d: kept %v (%v)", group, i, ok, err)
			}
		}
	}
	var locations []data.Location
	if _, ok, _ := f.kept(cacheKey("Locations"), &locations); !ok {
		t.Error("the locations went with the old lists")
	}
}
