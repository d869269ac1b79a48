package ui

import (
	"bytes"
	"image"
	"image/png"
	"net/url"
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

// overlayButtons returns the buttons of the top dialog by text.
func overlayButtons(w fyne.Window) map[string]*widget.Button {
	out := map[string]*widget.Button{}
	if top := w.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if b, ok := o.(*widget.Button); ok && b.Visible() {
				out[b.Text] = b
			}
		}
	}
	return out
}

// tapButton taps the button with text on the top dialog.
func tapButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	b, ok := overlayButtons(w)[text]
	if !ok {
		t.Fatalf("no button %q on the dialog; there are %v", text, keysOf(overlayButtons(w)))
	}
	test.Tap(b)
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var testContacts = []data.Contact{
	{Name: "Anouk Bakker", Relation: "moeder", Phone: "06 - 12 34 56 78", Email: "anouk@example.nl", MayCollect: true},
	{Name: "Henk Bakker", Relation: "opa", Phone: "+31 (0)20 123 4567"},
}

func TestChildCard_M3_StaffSeeContactsAndCallThem(t *testing.T) {
	sh, db := newTestShellAs(t, LanguageDutch, demo.Users[1]) // Tess, staff of the daycare groups
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	child, err := db.Child(t.Context(), row.childID)
	if err != nil {
		t.Fatal(err)
	}
	child.Contacts = testContacts
	if err := db.UpdateChild(t.Context(), child); err != nil {
		t.Fatal(err)
	}

	openCard(t, row)
	c := sh.card
	var opened []string
	c.contacts.openURL = func(u *url.URL) error { opened = append(opened, u.String()); return nil }
	texts := overlayTexts(sh)
	for _, want := range []string{"Ouders en contactpersonen", "Anouk Bakker (moeder)", "Henk Bakker (opa)", "mag het kind ophalen", "mag het kind niet ophalen"} {
		if !hasText(texts, want) {
			t.Errorf("the card lacks %q; it shows %q", want, texts)
		}
	}
	if len(c.contacts.phones) != 2 || c.contacts.phones[0].Text != "06 - 12 34 56 78" {
		t.Fatalf("phone buttons %v, want both numbers as written", c.contacts.phones)
	}
	if h := c.contacts.phones[0].Size().Height; h < touchSize {
		t.Errorf("the phone button is %.0f high, want at least %.0f", h, touchSize)
	}
	for _, p := range c.contacts.phones {
		test.Tap(p)
	}
	if want := []string{"tel:0612345678", "tel:+31201234567"}; !slices.Equal(opened, want) {
		t.Errorf("tapping the numbers opened %v, want %v", opened, want)
	}

	// Staff read the contracts but have nothing to change them with.
	if c.editButton != nil || c.contracts.actions != nil || len(c.contracts.changeButtons) != 0 {
		t.Error("staff are offered a way to edit the child or its contracts")
	}
	c.tabs.SelectIndex(int(cardContracts))
	buttons := keysOf(overlayButtons(sh.window))
	for _, b := range buttons {
		if strings.Contains(b, "Contract") || strings.Contains(b, "Wijzigen") || strings.Contains(b, "beëindigen") || strings.Contains(b, "Bewerken") {
			t.Errorf("staff see the button %q", b)
		}
	}
	if !hasText(overlayTexts(sh), "loopt") {
		t.Errorf("the contracts tab does not show the running contract: %q", overlayTexts(sh))
	}
}

// childrenTab returns the manager's children screen, building the tab's content.
func childrenTab(t *testing.T, sh *Shell) *childrenScreen {
	t.Helper()
	for _, s := range sh.screens {
		if cs, ok := s.(*childrenScreen); ok {
			return cs
		}
	}
	t.Fatal("no children screen for this role")
	return nil
}

func TestChildren_M1_ManagerAddsChildWithContactAndContract(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := childrenTab(t, sh)
	before := len(s.children)
	if s.addButton.Text != "Kind toevoegen…" {
		t.Errorf("the add button says %q", s.addButton.Text)
	}
	test.Tap(s.addButton)

	f := s.form
	if sh.window.Canvas().Focused() != f.firstName {
		t.Error("the first field has no focus")
	}
	test.Type(f.firstName, "Zoë")
	f.lastName.SetText("van Dijk")
	f.birthDate.SetText("12-03-2025")
	f.number.SetText("K-9001")
	tapButton(t, sh.window, "Contactpersoon toevoegen")
	r := f.contacts[0]
	r.name.SetText("Fatima van Dijk")
	r.relation.SetText("moeder")
	r.phone.SetText("06 98765432")
	test.Tap(r.mayCollect)
	tapButton(t, sh.window, "Toevoegen")
	if texts := overlayTexts(sh); !hasText(texts, "Zoë van Dijk, geboren 12-03-2025, toevoegen met 1 contactpersoon.") {
		t.Fatalf("the confirmation says %q", texts)
	}
	tapButton(t, sh.window, "Toevoegen")

	if len(s.children) != before+1 {
		t.Fatalf("the children list has %d children, want %d", len(s.children), before+1)
	}
	card := sh.card
	if card == nil || card.child.Name() != "Zoë van Dijk" || card.tabs.SelectedIndex() != int(cardContracts) {
		t.Fatal("adding the child did not open its card on the contracts")
	}
	if got := card.child.Contacts; len(got) != 1 || got[0] != (data.Contact{Name: "Fatima van Dijk", Relation: "moeder", Phone: "06 98765432", MayCollect: true}) {
		t.Errorf("stored contacts %+v", got)
	}

	// A daycare contract in Rupsjes on Wednesdays, from today.
	test.Tap(findButton(t, sh.window.Canvas().Overlays().Top(), "Contract toevoegen…"))
	cf := card.contracts.form
	cf.groupSelect.SetSelected(demo.GroupBabies)
	cf.productSelect.SetSelected(contractProductText(data.ProductKDV))
	wed := &cf.days[time.Wednesday-1]
	wed.on.SetChecked(true)
	wed.from.SetText("08:00")
	wed.until.SetText("17:30")
	fri := &cf.days[time.Friday-1]
	test.Tap(fri.on)
	if fri.from.Text != "08:00" || fri.until.Text != "17:30" {
		t.Errorf("Friday ticked after Wednesday has times %q–%q, want Wednesday's", fri.from.Text, fri.until.Text)
	}
	tapButton(t, sh.window, "Toevoegen")
	if texts := overlayTexts(sh); !hasText(texts, "wo, vr 08:00–17:30") {
		t.Fatalf("the confirmation does not say the days: %q", texts)
	}
	tapButton(t, sh.window, "Contract toevoegen")

	contracts, err := db.Contracts(t.Context(), card.childID)
	if err != nil || len(contracts) != 1 || contracts[0].Start != db.Today() {
		t.Fatalf("contracts %+v, %v", contracts, err)
	}
	list, err := db.DayList(t.Context(), contracts[0].GroupID, db.Today())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(list.Rows, func(r data.DayRow) bool { return r.Child.ID == card.childID }) {
		t.Error("the new child is not on today's list of Rupsjes")
	}
	if sh.attendance.groupID != contracts[0].GroupID || sh.attendance.rows[card.childID] == nil {
		t.Error("the open attendance list of Rupsjes does not show the new child")
	}
}

// findButton finds a visible button by text under obj.
func findButton(t *testing.T, obj fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(obj) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func TestChildForm_RefusesAFileThatIsNoPicture(t *testing.T) {
	test.NewTempApp(t)
	if err := UseLanguage(LanguageEnglish); err != nil {
		t.Fatal(err)
	}
	if _, err := readPicture(strings.NewReader("%PDF-1.4 not a picture")); err == nil || err.Error() != "This file is not a picture. Choose a PNG or JPEG file." {
		t.Errorf("a PDF gives %v", err)
	}
	big := bytes.Repeat([]byte{0}, data.MaxPictureBytes+1)
	if _, err := readPicture(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than 2 MB") {
		t.Errorf("a too large file gives %v", err)
	}
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	if got, err := readPicture(bytes.NewReader(img.Bytes())); err != nil || !bytes.Equal(got, img.Bytes()) {
		t.Errorf("a PNG gives %d bytes, %v", len(got), err)
	}
}

// openManagersCard opens, as the manager, the card of a daycare child with a
// contract running today, from the children screen.
func openManagersCard(t *testing.T, sh *Shell, db *boltstore.DB) (*childCard, data.Contract) {
	t.Helper()
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	contracts, err := db.Contracts(t.Context(), row.childID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(contracts, func(c data.Contract) bool { return c.Runs(db.Today()) && len(c.Days) > 1 })
	if i < 0 {
		t.Fatalf("%s has no running contract with several days", row.row.Child.Name())
	}
	s := childrenTab(t, sh)
	s.search.SetText(row.row.Child.Number)
	if row.row.Child.Number == "" {
		s.search.SetText(row.row.Child.Name())
	}
	if len(s.shown) != 1 {
		t.Fatalf("searching %q shows %d children", s.search.Text, len(s.shown))
	}
	s.list.Select(0)
	if sh.card == nil || sh.card.childID != row.childID || sh.card.tabs.SelectedIndex() != int(cardContracts) {
		t.Fatal("choosing the child did not open its card on the contracts")
	}
	return sh.card, contracts[i]
}

func TestContracts_M2_ChangeFromADateMakesAVersion(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	card, old := openManagersCard(t, sh, db)
	test.Tap(card.contracts.changeButtons[old.ID])
	f := card.contracts.form
	if got := f.start.Text; got != shortDate(db.Today().AddDays(1)) {
		t.Errorf("a change starts on %q by default, want tomorrow", got)
	}
	from := db.Today().AddDays(7)
	f.start.SetText(shortDate(from))
	dropped := old.Days[0].Weekday
	f.days[mondayFirst(dropped)].on.SetChecked(false)
	tapButton(t, sh.window, "Change")
	want := "From " + shortDate(from) + " the contract becomes:"
	if texts := overlayTexts(sh); !hasText(texts, want) {
		t.Fatalf("the confirmation says %q, want %q…", texts, want)
	}
	tapButton(t, sh.window, "Change contract")

	contracts, err := db.Contracts(t.Context(), card.childID)
	if err != nil {
		t.Fatal(err)
	}
	var ended, next *data.Contract
	for i, c := range contracts {
		switch {
		case c.ID == old.ID:
			ended = &contracts[i]
		case c.Start == from:
			next = &contracts[i]
		}
	}
	if ended == nil || ended.End != from.AddDays(-1) {
		t.Fatalf("the old version is %+v, want it to end the day before %s", ended, from)
	}
	if next == nil || len(next.Days) != len(old.Days)-1 || slices.ContainsFunc(next.Days, func(d data.ContractDay) bool { return d.Weekday == dropped }) {
		t.Fatalf("the new version is %+v, want the days without %s", next, dropped)
	}
	// The card lists both versions: the one to come first, then the running one.
	texts := labelTexts(card.contracts.list)
	first, second := slices.IndexFunc(texts, func(s string) bool { return strings.HasSuffix(s, "still to come") }),
		slices.IndexFunc(texts, func(s string) bool { return strings.HasSuffix(s, "running") })
	if first < 0 || second < 0 || first > second {
		t.Errorf("the contracts tab shows %q, want the version to come above the running one", texts)
	}
}

func TestContracts_M2_EndCare(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	card, old := openManagersCard(t, sh, db)
	tapButton(t, sh.window, "Opvang beëindigen…")
	tapButton(t, sh.window, "Opvang beëindigen")
	if texts := overlayTexts(sh); !hasText(texts, "vertrekt: elk contract eindigt op "+shortDate(db.Today())) {
		t.Fatalf("the confirmation says %q", texts)
	}
	tapButton(t, sh.window, "Opvang beëindigen")

	contracts, err := db.Contracts(t.Context(), card.childID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range contracts {
		if c.End.IsZero() || c.End.After(db.Today()) {
			t.Errorf("contract %+v still runs after today", c)
		}
	}
	tomorrow, err := db.DayList(t.Context(), old.GroupID, db.Today().AddDays(1))
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(tomorrow.Rows, func(r data.DayRow) bool { return r.Child.ID == card.childID }) {
		t.Error("the child is still on tomorrow's list")
	}
	if want := "tot en met " + shortDate(db.Today()); !hasText(labelTexts(card.contracts.list), want) {
		t.Errorf("the card shows %q, want a contract %s", labelTexts(card.contracts.list), want)
	}
}

// TestKeyedDialog_EnterConfirmsEscapeCancels: the first field has focus,
// Enter in a field asks to confirm, Enter confirms, Escape cancels a form.
func TestKeyedDialog_EnterConfirmsEscapeCancels(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	card, _ := openManagersCard(t, sh, db)
	cardDialog := sh.window.Canvas().Overlays().Top()

	tapButton(t, sh.window, "Move to another group…")
	moveDialog := sh.window.Canvas().Overlays().Top()
	focused, ok := sh.window.Canvas().Focused().(*keyEntry)
	if !ok || focused.Text != shortDate(db.Today().AddDays(1)) {
		t.Fatalf("focus is on %v, want the date field", sh.window.Canvas().Focused())
	}
	test.Type(focused, "x")
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if top := sh.window.Canvas().Overlays().Top(); top != cardDialog {
		t.Fatal("Escape in the date field did not close the dialog")
	}

	tapButton(t, sh.window, "Move to another group…")
	moveDialog = sh.window.Canvas().Overlays().Top()
	for _, o := range test.LaidOutObjects(moveDialog) {
		if s, ok := o.(*widget.Select); ok {
			s.SetSelectedIndex(0)
		}
	}
	focused = sh.window.Canvas().Focused().(*keyEntry)
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	confirm := sh.window.Canvas().Overlays().Top()
	if confirm == moveDialog || !hasText(overlayTexts(sh), "every contract running then or later gets a new version") {
		t.Fatalf("Enter did not ask to confirm the move: %q", overlayTexts(sh))
	}
	sh.window.Canvas().Unfocus()
	sh.window.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if top := sh.window.Canvas().Overlays().Top(); top != moveDialog {
		t.Fatal("Escape did not close the confirmation only")
	}
	sh.window.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn}) // the form again
	sh.window.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn}) // the confirmation
	if top := sh.window.Canvas().Overlays().Top(); top != cardDialog {
		t.Fatal("confirming did not close the form and the confirmation")
	}
	contracts, _ := db.Contracts(t.Context(), card.childID)
	if !slices.ContainsFunc(contracts, func(c data.Contract) bool { return c.Start == db.Today().AddDays(1) }) {
		t.Error("the move made no new version from tomorrow")
	}
	sh.window.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if top := sh.window.Canvas().Overlays().Top(); top != nil {
		t.Error("Escape did not close the card")
	}
	if sh.window.Canvas().OnTypedKey() != nil {
		t.Error("the dialogs left their key handler on the window")
	}
}

// TestContracts_M2_OverlapIsRefusedInTheFormsLanguage: a second daycare
// contract on a day the running one has is refused before anything is
// asked or stored, and the form keeps what was typed.
func TestContracts_M2_OverlapIsRefusedInTheFormsLanguage(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	card, old := openManagersCard(t, sh, db)
	tapButton(t, sh.window, "Contract toevoegen…")
	f := card.contracts.form
	f.productSelect.SetSelected(contractProductText(data.ProductKDV))
	day := &f.days[mondayFirst(old.Days[0].Weekday)]
	day.on.SetChecked(true)
	day.from.SetText("08:00")
	day.until.SetText("12:00")
	form := sh.window.Canvas().Overlays().Top()
	tapButton(t, sh.window, "Toevoegen")
	want := "Dit contract overlapt het contract KDV in " + demo.GroupBabies + " vanaf " + shortDate(old.Start) + "."
	if f.problem.Text != want || sh.window.Canvas().Overlays().Top() != form {
		t.Fatalf("the form says %q, want %q and to stay open", f.problem.Text, want)
	}
	if day.from.Text != "08:00" {
		t.Error("the refused form lost what was typed")
	}
	if contracts, _ := db.Contracts(t.Context(), card.childID); len(contracts) != 1 {
		t.Errorf("the child has %d contracts, want the one it had", len(contracts))
	}
}

// TestChildren_M1_OfficeEditsToo: the planner, who has no attendance list,
// reaches children through the Children tab and may edit them.
func TestChildren_M1_OfficeEditsToo(t *testing.T) {
	sh, db := newTestShellAs(t, LanguageEnglish, demo.Users[3]) // Priya, planner
	s := childrenTab(t, sh)
	if len(s.children) == 0 {
		t.Fatal("the planner's children screen is empty")
	}
	s.list.Select(0)
	card := sh.card
	if card == nil || card.editButton == nil || card.contracts.actions == nil {
		t.Fatal("the planner's card offers no editing")
	}
	test.Tap(card.editButton)
	f := card.form
	f.number.SetText("K-77")
	tapButton(t, sh.window, "Save")
	if texts := overlayTexts(sh); !hasText(texts, "child number K-77") {
		t.Fatalf("the confirmation says %q", texts)
	}
	tapButton(t, sh.window, "Save")
	if c, err := db.Child(t.Context(), card.childID); err != nil || c.Number != "K-77" {
		t.Errorf("stored number %q, %v", c.Number, err)
	}
	if card.about.Text == "" || !strings.Contains(card.about.Text, "no. K-77") {
		t.Errorf("the card shows %q, want the new number at once", card.about.Text)
	}
}
