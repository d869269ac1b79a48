package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// newEmptyShell opens the window on a new, empty data file, as a first start does.
func newEmptyShell(t *testing.T, width float32) (*Shell, *boltstore.DB) {
	t.Helper()
	a := test.NewTempApp(t)
	if err := UseLanguage(LanguageDutch); err != nil {
		t.Fatal(err)
	}
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "new.db"), boltstore.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := a.NewWindow("test")
	w.Resize(fyne.NewSize(width, 800))
	sh := &Shell{app: a, window: w, base: db, async: func(f func()) { f() }, fillDemo: func() error { return db.Seed(t.Context(), demo.Build(data.DateOf(testNow))) }}
	sh.showStart()
	t.Cleanup(sh.Close)
	return sh, db
}

func TestFirstStart_M1_EmptyFileAsksBeforeTheDemo(t *testing.T) {
	sh, db := newEmptyShell(t, 1200)
	if texts := shownTexts(sh.window); !strings.Contains(texts, "Welkom bij Locatiedesk") {
		t.Fatalf("an empty file opens on %q, want the first-start choice", texts)
	}
	if empty, _ := db.IsEmpty(t.Context()); !empty {
		t.Fatal("the window wrote into the file before anything was chosen")
	}
	tapText(t, sh.window, "De demo proberen")
	if empty, _ := db.IsEmpty(t.Context()); empty {
		t.Fatal("choosing the demo wrote nothing")
	}
	tapText(t, sh.window, demoManager.Name) // the sign-in list holds the demo's people
}

// visibleEntries are the shown entries of the window, top to bottom.
func visibleEntries(w fyne.Window) []*widget.Entry {
	var out []*widget.Entry
	for _, o := range test.LaidOutObjects(w.Content()) {
		if e, ok := o.(*widget.Entry); ok && e.Visible() {
			out = append(out, e)
		}
	}
	return out
}

func TestSetupWizard_M1_ManagerLandsOnAnEmptyWorkingLocation(t *testing.T) {
	sh, db := newEmptyShell(t, 800)
	tapText(t, sh.window, "Mijn organisatie inrichten")
	tapText(t, sh.window, "Groep toevoegen")
	// Organisation, location, two group rows (name, places), manager, password, repeat.
	entries := visibleEntries(sh.window)
	if len(entries) != 9 {
		t.Fatalf("%d entries in the wizard, want 9", len(entries))
	}
	for i, text := range []string{"Kinderopvang Het Zonnetje", "De Zonnebloem", "Peuters", "16", "Bengels", "22", "Fatma Yılmaz", "zonnebloem2026", "zonnebloem2025"} {
		test.Type(entries[i], text)
	}
	var radios []*widget.RadioGroup
	for _, o := range test.LaidOutObjects(sh.window.Content()) {
		if r, ok := o.(*widget.RadioGroup); ok {
			radios = append(radios, r)
		}
	}
	if len(radios) != 2 {
		t.Fatalf("%d care-type choices, want one per group", len(radios))
	}
	radios[1].SetSelected("BSO")
	tapText(t, sh.window, "Inrichten")
	if texts := shownTexts(sh.window); !strings.Contains(texts, "De twee wachtwoorden verschillen.") {
		t.Fatalf("different passwords: %q", texts)
	}
	if empty, _ := db.IsEmpty(t.Context()); !empty {
		t.Fatal("a refused set-up wrote something")
	}
	entries[8].SetText("zonnebloem2026")
	entries[8].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter sets up

	if sh.actor == nil || sh.actor.Role != data.RoleManager || sh.actor.Name != "Fatma Yılmaz" {
		t.Fatalf("after set-up signed in as %+v, want the new manager", sh.actor)
	}
	if titles := tabTitles(sh); !slices.Contains(titles, "Aanwezigheidslijst") || !slices.Contains(titles, "Beheer") {
		t.Fatalf("tabs %v", titles)
	}
	org, err := db.Organisation(t.Context())
	if err != nil || len(org.Groups) != 2 {
		t.Fatalf("organisation %+v, %v", org, err)
	}
	if g := org.Groups[1]; g.Name != "Bengels" || g.Care != data.BSO || g.Capacity != 22 || org.Groups[0].Care != data.KDV {
		t.Errorf("groups %+v", org.Groups)
	}
	if rows := len(sh.attendance.list.Rows); rows != 0 {
		t.Errorf("%d children on a new location's list", rows)
	}
	if children, _ := db.Children(t.Context(), 0); len(children) != 0 {
		t.Errorf("the demo leaked into a new organisation: %d children", len(children))
	}
}
