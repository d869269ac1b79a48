package ui

import (
	"bytes"
	"io"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
)

// TestFirstDay_M1_SetupImportAccountsList is a real organisation's first day
// in the window alone, at portrait-tablet width: the set-up wizard, the
// import of 40 children from the planning system, three staff accounts, and
// the next day's attendance lists with exactly the children the file gives
// care that weekday — and nothing of the demo.
func TestFirstDay_M1_SetupImportAccountsList(t *testing.T) {
	sh, db := newEmptyShell(t, 800)
	tapText(t, sh.window, "Mijn organisatie inrichten")
	tapText(t, sh.window, "Groep toevoegen")
	entries := visibleEntries(sh.window)
	for i, text := range []string{"Kinderopvang Het Zonnetje", "De Zonnebloem", "Peuters", "16", "Bengels", "22", "Fatma Yılmaz", "zonnebloem2026", "zonnebloem2026"} {
		test.Type(entries[i], text)
	}
	var careChoices []*widget.RadioGroup // one per group row; a new row is daycare
	for _, o := range test.LaidOutObjects(sh.window.Content()) {
		if r, ok := o.(*widget.RadioGroup); ok {
			careChoices = append(careChoices, r)
		}
	}
	careChoices[1].SetSelected("BSO")
	entries[8].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if sh.actor == nil || sh.actor.Role != data.RoleManager {
		t.Fatalf("after set-up signed in as %+v", sh.actor)
	}

	groups := []data.Group{{Name: "Peuters", Care: data.KDV}, {Name: "Bengels", Care: data.BSO}}
	var file bytes.Buffer
	lines, err := generate.ChildrenFile(&file, generate.ChildrenFileOptions{Location: "De Zonnebloem", Groups: groups, Children: 40, Start: data.DateOf(testNow).AddDays(-30), Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	children := childrenTab(t, sh)
	children.onImport()
	children.importer.load(io.NopCloser(&file), "kinderen.csv")
	test.Tap(children.importer.importButton)
	tapButton(t, sh.window, "Importeren")
	if got := childNumbers(t, db); len(got) != 40 {
		t.Fatalf("%d children imported, want 40", len(got))
	}

	sh.tabs.Select(sh.manageTab)
	sh.manage.tabs.SelectIndex(1) // staff accounts
	for _, account := range []struct{ name, group, pin string }{
		{"Noor de Wit", "Peuters", "2468"}, {"Daan Visser", "Peuters", "1357"}, {"Sven Öztürk", "Bengels", "3579"},
	} {
		sh.manage.onAddAccount()
		fields := dialogEntries(t, sh.window) // name, PIN, repeat
		test.Type(fields[0], account.name)
		for _, o := range dialogObjects(t, sh.window) {
			if c, ok := o.(*widget.CheckGroup); ok && slices.Contains(c.Options, account.group) {
				c.SetSelected([]string{account.group})
			}
		}
		test.Type(fields[1], account.pin)
		test.Type(fields[2], account.pin)
		fields[2].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	if users, _ := db.Users(t.Context()); len(users) != 4 {
		t.Fatalf("%d accounts, want the manager and three staff", len(users))
	}

	tomorrow := data.DateOf(testNow).AddDays(1) // a Thursday
	screen := sh.attendance
	screen.setDate(tomorrow)
	for _, g := range groups {
		screen.groupSelect.SetSelected(g.Name)
		var want, got []string
		for _, l := range lines {
			if l.Group == g.Name && slices.ContainsFunc(l.Days, func(d data.ContractDay) bool { return d.Weekday == tomorrow.Weekday() }) {
				want = append(want, l.Number)
			}
		}
		for _, r := range screen.list.Rows {
			got = append(got, r.Child.Number)
		}
		slices.Sort(want)
		slices.Sort(got)
		if screen.list.Date != tomorrow || len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s on %s: %v, want %v", g.Name, screen.list.Date, got, want)
		}
	}
	if locations, _ := db.Locations(t.Context()); len(locations) != 1 || locations[0].Name != "De Zonnebloem" {
		t.Errorf("locations %+v: the demo crept in", locations)
	}
}
