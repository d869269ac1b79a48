package ui

import (
	"slices"
	"strings"
	"testing"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// newSetUpShell is a window on a freshly set-up organisation, its manager
// signed in, 800 px wide.
func newSetUpShell(t *testing.T) (*Shell, *boltstore.DB) {
	t.Helper()
	sh, db := newEmptyShell(t, 800)
	actor, err := db.SetUp(t.Context(), data.OrganisationSetup{Organisation: "Het Zonnetje", Location: "De Zonnebloem", Manager: "Fatma Yılmaz", Secret: "zonnebloem2026",
		Groups: []data.GroupSetup{{Name: "Peuters", Care: data.KDV, Capacity: 16}, {Name: "Bengels", Care: data.BSO, Capacity: 22}}})
	if err != nil {
		t.Fatal(err)
	}
	sh.signedIn(actor)
	sh.tabs.Select(sh.manageTab)
	return sh, db
}

// dialogObjects are the laid-out objects of the open dialog.
func dialogObjects(t *testing.T, w fyne.Window) []fyne.CanvasObject {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	return test.LaidOutObjects(top)
}

func dialogEntries(t *testing.T, w fyne.Window) []*field {
	var out []*field
	for _, o := range dialogObjects(t, w) {
		if e, ok := o.(*field); ok {
			out = append(out, e)
		}
	}
	return out
}

func TestManage_M1_StaffAccountAddedWithEnterCancelledWithEscape(t *testing.T) {
	sh, db := newSetUpShell(t)
	m := sh.manage
	m.tabs.SelectIndex(1) // staff accounts

	// Escape cancels: nothing is saved.
	m.onAddAccount()
	entries := dialogEntries(t, sh.window)
	test.Type(entries[0], "Niet opslaan")
	entries[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if sh.window.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the dialog open")
	}

	m.onAddAccount()
	entries = dialogEntries(t, sh.window) // name, PIN, repeat
	if len(entries) != 3 {
		t.Fatalf("%d entries in the account dialog, want 3", len(entries))
	}
	test.Type(entries[0], "Noor de Wit")
	for _, o := range dialogObjects(t, sh.window) {
		if c, ok := o.(*widget.CheckGroup); ok && slices.Contains(c.Options, "Peuters") {
			c.SetSelected([]string{"Peuters"})
		}
	}
	test.Type(entries[1], "2468")
	test.Type(entries[2], "2468")
	entries[2].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter saves

	users, _ := db.Users(t.Context())
	var noor data.User
	for _, u := range users {
		if u.Name == "Niet opslaan" {
			t.Error("the cancelled account was saved")
		}
		if u.Name == "Noor de Wit" {
			noor = u
		}
	}
	if noor.ID == 0 || noor.Role != data.RoleStaff || len(noor.GroupIDs) != 1 {
		t.Fatalf("Noor's account %+v in %+v", noor, users)
	}
	if _, err := db.SignIn(t.Context(), noor.ID, "2468"); err != nil {
		t.Errorf("Noor cannot sign in with her PIN: %v", err)
	}
	if texts := shownTexts(sh.window); !strings.Contains(texts, "Noor de Wit · pedagogisch medewerker · Peuters · pincode") {
		t.Errorf("the accounts list does not show Noor: %q", texts)
	}

	// Deactivated: off the sign-in list, still on the management list.
	tapDeactivate(t, sh, "Noor de Wit")
	tapDialogButton(t, sh.window, "Ja")
	if users, _ := db.Users(t.Context()); slices.ContainsFunc(users, func(u data.User) bool { return u.ID == noor.ID }) {
		t.Error("a deactivated account is still on the sign-in list")
	}
	if texts := shownTexts(sh.window); !strings.Contains(texts, "gedeactiveerd op") {
		t.Errorf("the deactivated account is not shown as such: %q", texts)
	}
}

// tapDeactivate taps Deactivate on the row of the account named name.
func tapDeactivate(t *testing.T, sh *Shell, name string) {
	t.Helper()
	for _, row := range sh.manage.staffList.Objects {
		var label *widget.Label
		var button *widget.Button
		for _, o := range test.LaidOutObjects(row) {
			switch v := o.(type) {
			case *widget.Label:
				label = v
			case *widget.Button:
				if v.Text == "Deactiveren" {
					button = v
				}
			}
		}
		if label != nil && strings.HasPrefix(label.Text, name) && button != nil {
			test.Tap(button)
			return
		}
	}
	t.Fatalf("no Deactivate button for %s", name)
}

func TestManage_M1_LastManagerCannotBeDeactivated(t *testing.T) {
	sh, db := newSetUpShell(t)
	sh.manage.tabs.SelectIndex(1)
	if texts := shownTexts(sh.window); !strings.Contains(texts, "Fatma Yılmaz · locatiemanager · De Zonnebloem · wachtwoord") {
		t.Errorf("accounts list: %q", texts)
	}
	tapDeactivate(t, sh, "Fatma Yılmaz")
	tapDialogButton(t, sh.window, "Ja")
	if users, _ := db.Users(t.Context()); len(users) != 1 {
		t.Fatalf("the last manager was deactivated: %+v", users)
	}
	texts := []string{}
	for _, o := range dialogObjects(t, sh.window) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	if !strings.Contains(strings.Join(texts, " "), "De laatste actieve locatiemanager") {
		t.Errorf("the refusal does not say why: %q", texts)
	}
}

func TestManage_M1_GroupAddedWithHours(t *testing.T) {
	sh, db := newSetUpShell(t)
	sh.manage.onAddGroup()
	entries := dialogEntries(t, sh.window) // name, places, opens, closes, holiday opens, holiday closes
	if len(entries) != 6 {
		t.Fatalf("%d entries, want 6", len(entries))
	}
	for i, text := range []string{"Dreumesen", "12", "07:00", "18:30"} {
		test.Type(entries[i], text)
	}
	entries[1].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	org, _ := db.Organisation(t.Context())
	i := slices.IndexFunc(org.Groups, func(g data.Group) bool { return g.Name == "Dreumesen" })
	if i < 0 || org.Groups[i].Capacity != 12 || org.Groups[i].Hours.Day.String() != "07:00–18:30" {
		t.Fatalf("groups %+v", org.Groups)
	}
	if texts := shownTexts(sh.window); !strings.Contains(texts, "Dreumesen · KDV · 12 plaatsen · dag 07:00–18:30") {
		t.Errorf("the new group is not listed: %q", texts)
	}
}

func TestSettingsForm_R1_WindowRunsDownwardsAndIsLogged(t *testing.T) {
	sh, db := newSetUpShell(t)
	sh.manage.showSettings()
	f := sh.manage.settings
	from, until := f.entries["parentRequestFromDays"], f.entries["parentRequestUntilDays"]
	from.SetText("4")
	until.SetText("28")
	tapText(t, sh.window, "Instellingen opslaan")
	if !strings.Contains(f.message.Text, "van meer dagen vóór de dag naar minder") {
		t.Fatalf("4 → 28: message %q", f.message.Text)
	}
	if s, _ := db.Settings(t.Context()); s.ParentRequestFromDays != 28 {
		t.Fatalf("a refused window was stored: %+v", s)
	}
	from.SetText("21")
	until.SetText("2")
	f.entries["creditExpiryDays"].SetText("-1")
	tapText(t, sh.window, "Instellingen opslaan")
	if !strings.Contains(f.message.Text, "Afwezigheidstegoed vervalt na (dagen) moet tussen 1 en 730 liggen.") {
		t.Fatalf("negative days: message %q", f.message.Text)
	}
	f.entries["creditExpiryDays"].SetText("35")
	tapText(t, sh.window, "Instellingen opslaan")
	s, _ := db.Settings(t.Context())
	if s.ParentRequestFromDays != 21 || s.ParentRequestUntilDays != 2 || s.CreditExpiryDays != 35 {
		t.Fatalf("stored %+v", s)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{Action: "SaveSettings"})
	if len(entries) != 1 || !strings.Contains(entries[0].Detail, "parentRequestUntilDays 4 → 2") {
		t.Errorf("audit %+v", entries)
	}
}

func TestSettingsDialog_M1_ChangeOwnPIN(t *testing.T) {
	sh, db := newSetUpShell(t)
	sh.onChangeOwnSecret()
	entries := dialogEntries(t, sh.window)
	test.Type(entries[0], "fout-wachtwoord")
	test.Type(entries[1], "1357")
	test.Type(entries[2], "1357")
	entries[2].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	users, _ := db.Users(t.Context())
	if _, err := db.SignIn(t.Context(), users[0].ID, "1357"); err == nil {
		t.Fatal("a wrong current password still changed the PIN")
	}
	sh.window.Canvas().Overlays().Top().Hide()
	sh.onChangeOwnSecret()
	entries = dialogEntries(t, sh.window)
	test.Type(entries[0], "zonnebloem2026")
	test.Type(entries[1], "1357")
	test.Type(entries[2], "1357")
	entries[2].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	for _, secret := range []string{"1357", "zonnebloem2026"} {
		if _, err := db.SignIn(t.Context(), users[0].ID, secret); err != nil {
			t.Errorf("sign in with %q after adding a PIN: %v", secret, err)
		}
	}
}

// TestManage_M1_FitsIn800 keeps the management tab usable on an 800 px window.
func TestManage_M1_FitsIn800(t *testing.T) {
	sh, _ := newSetUpShell(t)
	for _, item := range sh.manage.tabs.Items {
		sh.manage.tabs.Select(item)
		if w := item.Content.MinSize().Width; w > 800 {
			t.Errorf("%s needs %.0f px", item.Text, w)
		}
	}
}

func TestManage_M1_AddedLocationIsTheManagers(t *testing.T) {
	sh, _ := newSetUpShell(t)
	sh.manage.onAddLocation()
	entries := dialogEntries(t, sh.window)
	test.Type(entries[0], "De Regenboog")
	entries[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if sh.tabs.Selected() != sh.manageTab {
		t.Error("after adding a location the manager is not back on the management tab")
	}
	if names := sh.manage.locSelect.Options; !slices.Contains(names, "De Regenboog") {
		t.Fatalf("locations %v: the new one is not the manager's", names)
	}
	if got := sh.window.Title(); got != "Locatiedesk — Het Zonnetje" {
		t.Errorf("title %q: with two locations it names the organisation", got)
	}
}
