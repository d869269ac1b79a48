package ui

import (
	"io"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// badgeOf returns the consent marker the avatar draws, nil when none is visible.
func badgeOf(t *testing.T, a *avatar) fyne.Resource {
	t.Helper()
	for _, o := range test.WidgetRenderer(a).Objects() {
		if img, ok := o.(*canvas.Image); ok && img.Resource != nil && img.Visible() {
			return img.Resource
		}
	}
	return nil
}

// labelTexts collects the texts of every label under obj, as the user reads them.
func labelTexts(obj fyne.CanvasObject) []string {
	var out []string
	for _, o := range test.LaidOutObjects(obj) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return out
}

func hasText(texts []string, want string) bool {
	for _, t := range texts {
		if strings.Contains(t, want) {
			return true
		}
	}
	return false
}

// rowWithConsent returns the first child row on the list with the given level.
func rowWithConsent(t *testing.T, s *attendanceScreen, level data.ConsentLevel) *childRow {
	t.Helper()
	for _, r := range s.list.Rows {
		if r.Consent == level {
			return s.rows[r.Child.ID]
		}
	}
	t.Fatalf("no child with consent %s on the list of %s", level, s.groupSelect.Selected)
	return nil
}

// openConsentTab taps a child's picture and returns the consent tab the dialog shows.
func openConsentTab(t *testing.T, w fyne.Window, row *childRow) *consentTab {
	t.Helper()
	test.Tap(row.avatar)
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if tab, ok := o.(*consentTab); ok {
			return tab
		}
	}
	t.Fatal("tapping the picture opened no consent tab")
	return nil
}

func TestAttendance_C2_MarkersOnPictures(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.attendance
	want := map[data.ConsentLevel]fyne.Resource{
		data.ConsentNotAnswered: markerNoPhotos,
		data.ConsentNone:        markerNoPhotos,
		data.ConsentPortal:      markerNotPublic,
		data.ConsentPublic:      nil,
	}
	seen := map[data.ConsentLevel]int{}
	for _, r := range s.list.Rows {
		seen[r.Consent]++
		if got := badgeOf(t, s.rows[r.Child.ID].avatar); got != want[r.Consent] {
			t.Errorf("%s (%s) shows marker %v, want %v", r.Child.Name(), r.Consent, got, want[r.Consent])
		}
	}
	for level := range want {
		if seen[level] == 0 {
			t.Errorf("the demo's %s list has no child with consent %s; the test cannot see that marker", demo.GroupBabies, level)
		}
	}
	if markerNoPhotos == markerNotPublic || string(markerNoPhotos.Content()) == string(markerNotPublic.Content()) {
		t.Error("the two markers must be different pictures, not one picture in two colours")
	}
	texts := labelTexts(sh.window.Content())
	for _, legend := range []string{"Mag niet op de foto", "Alleen ouderportaal, niet publiek"} {
		if !hasText(texts, legend) {
			t.Errorf("the legend lacks %q", legend)
		}
	}
}

func TestAttendance_C2_MarkerFollowsAnswerAtOnce(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	row := rowWithConsent(t, sh.attendance, data.ConsentPublic)
	if badgeOf(t, row.avatar) != nil {
		t.Fatal("a child with public consent carries a marker")
	}
	// The office records a withdrawal by phone on another computer.
	err := db.RecordConsent(t.Context(), data.ConsentChange{ChildID: row.childID, Level: data.ConsentPortal, Given: db.Today(),
		Source: data.ConsentFromPhone, RecordedBy: "Marieke"})
	if err != nil {
		t.Fatal(err)
	}
	if got := badgeOf(t, row.avatar); got != markerNotPublic {
		t.Fatalf("after the withdrawal the picture shows %v, want the not-public marker without a refresh", got)
	}
}

func TestConsentTab_C1_RecordWithdrawal(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	row := rowWithConsent(t, sh.attendance, data.ConsentPublic)
	tab := openConsentTab(t, sh.window, row)
	if tab.portalAnswer.Text != "Ja" || tab.publicAnswer.Text != "Ja" {
		t.Fatalf("portal %q, public %q; want Ja, Ja for public consent", tab.portalAnswer.Text, tab.publicAnswer.Text)
	}
	texts := labelTexts(tab)
	for _, want := range []string{"Mag op de foto in het ouderportaal", "Mag publiekelijk op de foto", "Ouderportaal en publiek", "Ouderapp"} {
		if !hasText(texts, want) {
			t.Errorf("the tab lacks %q: %q", want, texts)
		}
	}
	before := len(tab.consent.History)

	test.Tap(tab.recordButton)
	dialog := sh.window.Canvas().Overlays().Top()
	var save *widget.Button
	buttons := map[string]*widget.Button{}
	for _, o := range test.LaidOutObjects(dialog) {
		if b, ok := o.(*widget.Button); ok {
			buttons[b.Text] = b
		}
	}
	save = buttons["Opslaan"]
	if save == nil || !save.Disabled() {
		t.Fatal("Opslaan must be there, disabled until an answer and a source are chosen")
	}
	test.Tap(buttons["Geen toestemming"])
	if !save.Disabled() {
		t.Fatal("Opslaan enabled without a source")
	}
	test.Tap(buttons["Telefoon"])
	if save.Disabled() {
		t.Fatal("Opslaan still disabled with answer, source and today's date")
	}
	test.Tap(save)

	if tab.portalAnswer.Text != "Nee" || tab.publicAnswer.Text != "Nee" {
		t.Errorf("after the withdrawal portal %q, public %q; want Nee, Nee", tab.portalAnswer.Text, tab.publicAnswer.Text)
	}
	if tab.status.Text != "Geen toestemming, sinds 25-11-2026" {
		t.Errorf("status %q", tab.status.Text)
	}
	if badgeOf(t, row.avatar) != markerNoPhotos {
		t.Error("the list still shows the child without the no-photos marker")
	}
	c, err := db.Consent(t.Context(), row.childID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.History) != before+1 {
		t.Fatalf("history has %d changes, want %d: the withdrawal is added, nothing rewritten", len(c.History), before+1)
	}
	last := c.History[len(c.History)-1]
	if last.Level != data.ConsentNone || last.Source != data.ConsentFromPhone || last.RecordedBy != "Marieke de Boer" {
		t.Errorf("recorded %+v", last)
	}
	texts = labelTexts(tab)
	if !hasText(texts, "Telefoon") || !hasText(texts, "Marieke de Boer") || !hasText(texts, "Ouderapp") {
		t.Errorf("the history shows %q, want the new change by Marieke de Boer and the earlier one", texts)
	}
}

func TestConsentTab_C1_EndedCareAllowsNoPhotos(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	rows, err := db.ConsentOverview(t.Context(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var leaver data.ConsentRow
	for _, r := range rows {
		if r.Ended() {
			leaver = r
		}
	}
	if leaver.Child.ID == 0 || leaver.Level != data.ConsentPublic {
		t.Fatalf("the demo has no child who left with public consent: %+v", leaver)
	}
	tab := newConsentTab(sh.store, sh.window, sh.user, sh.session.sub(), leaver.Child.ID)
	defer tab.close()
	if tab.portalAnswer.Text != "No" || tab.publicAnswer.Text != "No" {
		t.Errorf("portal %q, public %q after care ended; want No, No", tab.portalAnswer.Text, tab.publicAnswer.Text)
	}
	if !strings.Contains(tab.status.Text, "photos may no longer be used") || !strings.Contains(tab.status.Text, shortDate(leaver.EndedOn)) {
		t.Errorf("status %q does not say that care ended on %s", tab.status.Text, leaver.EndedOn)
	}
	if badgeOf(t, tab.avatar) != markerNoPhotos {
		t.Error("the picture of a child whose care ended lacks the no-photos marker")
	}
}

func TestConsentOverview_C2_FilterAndChaseParents(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	sh.tabs.SelectIndex(1)
	s := sh.consent
	if s.groupSelect.Selected != "Alle groepen" || len(s.shown) != len(s.rows) || len(s.rows) != 65 {
		t.Fatalf("opens on %q with %d of %d children; want all 65 of the location", s.groupSelect.Selected, len(s.shown), len(s.rows))
	}
	if !strings.HasPrefix(s.counts.Text, "65 kinderen · 16 niet op de foto (waarvan 7 nog niet beantwoord)") {
		t.Errorf("counts %q", s.counts.Text)
	}
	if s.chaseButton.Text != "Nog niet beantwoord (7)" {
		t.Fatalf("chase button %q", s.chaseButton.Text)
	}

	test.Tap(s.chaseButton)
	if s.filterSelect.Selected != "Nog niet beantwoord" || len(s.shown) != 7 {
		t.Fatalf("after tapping the chase button: filter %q, %d shown; want the 7 not answered", s.filterSelect.Selected, len(s.shown))
	}
	for _, r := range s.shown {
		if r.Level != data.ConsentNotAnswered || r.Ended() {
			t.Errorf("%s (%s) in the not-answered list", r.Child.Name(), r.Level)
		}
	}

	// A parent answers on the phone: the child leaves the list to chase at once.
	chased := s.shown[0].Child
	if err := db.RecordConsent(t.Context(), data.ConsentChange{ChildID: chased.ID, Level: data.ConsentPortal, Given: db.Today(), Source: data.ConsentFromPhone, RecordedBy: "Marieke"}); err != nil {
		t.Fatal(err)
	}
	if len(s.shown) != 6 || s.chaseButton.Text != "Nog niet beantwoord (6)" {
		t.Errorf("after %s's answer: %d shown, button %q; want 6", chased.Name(), len(s.shown), s.chaseButton.Text)
	}

	s.groupSelect.SetSelected(demo.GroupBabies)
	for _, r := range s.shown {
		if r.Group.Name != demo.GroupBabies {
			t.Errorf("%s of %s in the %s overview", r.Child.Name(), r.Group.Name, demo.GroupBabies)
		}
	}
	s.filterSelect.SetSelected("Mag niet op de foto")
	for _, r := range s.shown {
		if r.MayPhotograph() {
			t.Errorf("%s (%s) in the no-photos list", r.Child.Name(), r.Level)
		}
	}
	if len(s.shown) == 0 {
		t.Fatal("no child of the babies may not be photographed; the demo should have some")
	}
	sheet := s.sheet()
	if sheet.Group != demo.GroupBabies || sheet.Location != demo.LocationName || len(sheet.Rows) != len(s.rows) || len(s.rows) <= len(s.shown) {
		t.Errorf("sheet for %s/%s with %d rows; want every one of the group's %d children, not only the filtered %d",
			sheet.Location, sheet.Group, len(sheet.Rows), len(s.rows), len(s.shown))
	}
}

func TestConsentOverview_C1_ImportListsEveryBadLine(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := sh.consent
	bad := "kind_id;toestemming;datum\n1;publiek;01-11-2026\n2;ja;01-11-2026\n999;geen;01-11-2026\n"
	s.importFrom(io.NopCloser(strings.NewReader(bad)), "ouders.csv")

	texts := labelTexts(sh.window.Canvas().Overlays().Top())
	for _, want := range []string{
		"ouders.csv bevat 2 fouten. Er is niets geïmporteerd",
		"Regel 3: Onbekend niveau “ja”",
		"Regel 4: Onbekend kind: 999.",
	} {
		if !hasText(texts, want) {
			t.Errorf("the import dialog lacks %q: %q", want, texts)
		}
	}
	if c, _ := db.Consent(t.Context(), 1); len(c.History) != 1 {
		t.Errorf("child 1 has %d changes after a refused import, want the demo's 1", len(c.History))
	}

	sh.window.Canvas().Overlays().Top().Hide()
	good := "kind_id;toestemming;datum\n1;geen;01-11-2026\n2;publiek;01-11-2026\n"
	s.importFrom(io.NopCloser(strings.NewReader(good)), "ouders.csv")
	if texts := labelTexts(sh.window.Canvas().Overlays().Top()); !hasText(texts, "2 antwoorden geïmporteerd uit ouders.csv") {
		t.Errorf("after a good import the dialog says %q", texts)
	}
	if c, _ := db.Consent(t.Context(), 1); c.Level != data.ConsentNone {
		t.Errorf("child 1 is %s after importing none", c.Level)
	}
}
