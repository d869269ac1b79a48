package ui

import (
	"strings"
	"testing"

	"locatiedesk/data"
)

// TestAttendance_AVG_ListShowsNoBirthDateOrSchool reads every label of each
// group's attendance list: a child's name, times, status and note are there
// (A4), but not the birth date or school the record also holds.
func TestAttendance_AVG_ListShowsNoBirthDateOrSchool(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := sh.attendance
	schools, err := db.Schools(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	schoolNames := map[data.ID]string{}
	for _, sc := range schools {
		schoolNames[sc.ID] = sc.Name
	}
	withSchool := 0
	for _, group := range s.groupSelect.Options {
		s.groupSelect.SetSelected(group)
		texts := strings.Join(labelTexts(sh.window.Content()), "\n")
		if len(s.list.Rows) == 0 {
			t.Fatalf("%s: the list is empty, the test would prove nothing", group)
		}
		for _, r := range s.list.Rows {
			c := r.Child
			if !strings.Contains(texts, c.Name()) {
				t.Errorf("%s: the list lacks %s", group, c.Name())
			}
			for _, private := range []string{shortDate(c.BirthDate), c.BirthDate.String(), formatDate(c.BirthDate)} {
				if strings.Contains(texts, private) {
					t.Errorf("%s: the list shows %s's birth date as %q", group, c.Name(), private)
				}
			}
			if name, ok := schoolNames[c.SchoolID]; ok {
				withSchool++
				if strings.Contains(texts, name) {
					t.Errorf("%s: the list shows %s's school %q", group, c.Name(), name)
				}
			}
		}
	}
	if withSchool == 0 {
		t.Error("no child on any list has a school: the school check proved nothing")
	}
}
