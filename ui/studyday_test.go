package ui

import (
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/demo"
	"locatiedesk/reports"
)

// dialogText is every text on the top overlay, to read a message dialog.
func dialogText(t *testing.T, w fyne.Window) string {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	var texts []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			texts = append(texts, l.Text)
		}
	}
	return strings.Join(texts, " ")
}

// demoStudyDay is the demo's study day as the test shell sees it.
func demoStudyDay(t *testing.T, s *studyDayScreen) data.StudyDay {
	t.Helper()
	i := s.daySelect.SelectedIndex()
	if i < 0 {
		t.Fatal("no study day chosen")
	}
	return s.days[i]
}

func TestStudyDay_S1_OpensOnTheComingStudyDayBelowMinimum(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.studyDay
	if got := s.daySelect.Selected; got != "donderdag 3 december 2026 · "+demo.SchoolRegenbog {
		t.Fatalf("study day %q, want the demo's on 3 December", got)
	}
	want := "2 aangemeld: minder dan het minimum van 3. Beslis: gaat de opvang door of vervalt hij? Tot dan wordt niets gefactureerd."
	if s.status.Text != want || s.status.Importance != widget.WarningImportance {
		t.Errorf("status %q (importance %v), want the warning %q", s.status.Text, s.status.Importance, want)
	}
	if !s.aheadButton.Visible() || !s.cancelButton.Visible() || s.noticeButton.Visible() {
		t.Error("a day below its minimum offers going ahead and cancelling, and no notice yet")
	}
	if len(s.rowsBox.Objects) != 2*len(s.sheet.Rows) || len(s.sheet.Rows) < 3 {
		t.Errorf("%d objects for %d children", len(s.rowsBox.Objects), len(s.sheet.Rows))
	}
}

func TestStudyDay_S1_PrintOpensThePDFInTheViewer(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.studyDay
	s.printDir = t.TempDir()
	var opened []*url.URL
	s.openURL = func(u *url.URL) error { opened = append(opened, u); return nil }

	test.Tap(s.printButton)

	if len(opened) != 1 || opened[0].Scheme != "file" {
		t.Fatalf("opened %v, want one file:// URL", opened)
	}
	path := filepath.FromSlash(opened[0].Path)
	if filepath.Dir(path) != s.printDir || !strings.HasPrefix(filepath.Base(path), "intekenlijst-2026-12-03-obs-de-regenboog-") {
		t.Errorf("PDF at %s, want an intekenlijst file in the print folder %s", path, s.printDir)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, r := range s.sheet.Rows {
		if !strings.Contains(string(text), r.Child.Name()) {
			t.Errorf("printed sheet lacks %s", r.Child.Name())
		}
	}
	if top := sh.window.Canvas().Overlays().Top(); top != nil {
		t.Error("the progress dialog is still open after printing")
	}
}

func TestStudyDay_S1_SaveAsPDF(t *testing.T) {
	sh, _ := newTestShell(t, LanguageEnglish)
	s := sh.studyDay
	if got := sheetFileName(s.sheet); got != "intekenlijst-2026-12-03-obs-de-regenboog.pdf" {
		t.Errorf("suggested file name %q", got)
	}
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	s.writeTo(f, "sheet.pdf") // what the save dialog's callback does with the chosen file

	if got := dialogText(t, sh.window); !strings.Contains(got, "The sign-up sheet is saved as sheet.pdf.") {
		t.Errorf("message %q", got)
	}
	raw, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(raw), "%PDF-") {
		t.Errorf("saved file is no PDF (%d bytes, %v)", len(raw), err)
	}
}

// TestStudyDay_S1_A1_RegisterTwoSignUpsShowsThemOnTheList registers a
// returned sheet with two more children: the minimum is reached and both
// are on their group's attendance list of that day, as study-day children.
func TestStudyDay_S1_A1_RegisterTwoSignUpsShowsThemOnTheList(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.studyDay
	sd := demoStudyDay(t, s)

	test.Tap(s.registerButton)
	var picked []*signUpLine
	for _, l := range s.form.lines {
		if !l.check.Checked && len(picked) < 2 {
			test.Tap(l.check)
			picked = append(picked, l)
		}
	}
	if len(picked) != 2 {
		t.Fatalf("only %d children to tick", len(picked))
	}
	picked[0].from.SetText("08:15")
	picked[0].until.SetText("16:45")
	tapDialogButton(t, sh.window, "Opslaan")

	if top := sh.window.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("the form is still open: %s", dialogText(t, sh.window))
	}
	if want := "4 aangemeld: de opvang gaat door (vanaf 3 aanmeldingen)."; s.status.Text != want {
		t.Errorf("status %q, want %q", s.status.Text, want)
	}

	a := sh.attendance
	for i, l := range picked {
		a.groupSelect.SetSelected(l.row.Group.Name)
		a.setDate(sd.Date)
		row, ok := a.rows[l.row.Child.ID]
		if !ok {
			t.Fatalf("%s is not on the list of %s on %s", l.row.Child.Name(), l.row.Group.Name, sd.Date)
		}
		want := "07:30–18:30 · studiedag"
		if i == 0 {
			want = "08:15–16:45 · studiedag"
		}
		if row.detail.Text != want {
			t.Errorf("%s: detail %q, want %q", l.row.Child.Name(), row.detail.Text, want)
		}
	}
}

func TestStudyDay_S1_BadTimesKeepTheFormOpen(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := sh.studyDay
	sd := demoStudyDay(t, s)
	test.Tap(s.registerButton)
	var line *signUpLine
	for _, l := range s.form.lines {
		if !l.check.Checked {
			line = l
			break
		}
	}
	test.Tap(line.tap) // a finger on the row, beside the small check box
	if !line.check.Checked {
		t.Fatal("tapping the row did not tick its child")
	}

	line.from.SetText("8.15")
	tapDialogButton(t, sh.window, "Opslaan")
	if want := "Vul de tijden van " + line.row.Child.Name() + " in als UU:MM."; s.form.problem.Hidden || s.form.problem.Text != want {
		t.Errorf("problem %q (hidden %v), want %q", s.form.problem.Text, s.form.problem.Hidden, want)
	}

	line.from.SetText("06:00") // before opening time: the store refuses, the form says why
	tapDialogButton(t, sh.window, "Opslaan")
	if !strings.Contains(s.form.problem.Text, "07:30–18:30") || sh.window.Canvas().Overlays().Top() == nil {
		t.Errorf("problem %q; the form must stay open with the opening hours named", s.form.problem.Text)
	}
	sheet, err := db.StudyDaySheet(t.Context(), 1, sd.SchoolID, sd.Date)
	if err != nil || sheet.SignedUp() != 2 {
		t.Errorf("%d signed up after refused saves (%v), want the demo's 2", sheet.SignedUp(), err)
	}
}

func TestStudyDay_S1_ChildFromBlankRow(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.studyDay
	test.Tap(s.registerButton)
	f := s.form
	if len(f.others.Options) == 0 {
		t.Fatal("no other BSO children to add from a blank row")
	}
	lines, option := len(f.lines), f.others.Options[0]
	f.others.SetSelectedIndex(0)
	if len(f.lines) != lines+1 || !f.lines[lines].check.Checked || strings.Contains(strings.Join(f.others.Options, "|"), option) {
		t.Fatalf("adding %q: %d lines, options %v", option, len(f.lines), f.others.Options)
	}
	tapDialogButton(t, sh.window, "Opslaan")
	child := f.lines[lines].row.Child
	for _, r := range s.sheet.Rows {
		if r.Child.ID == child.ID && r.SignUp != nil {
			return
		}
	}
	t.Errorf("%s (blank row) is not signed up on the sheet", child.Name())
}

func TestShell_S1_PrintedPDFsRemovedOnStartAndStop(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("LOCALAPPDATA", cache)
	t.Setenv("HOME", cache)
	dir := defaultPrintDir()
	if !strings.HasPrefix(dir, cache) {
		t.Skipf("the cache folder %s does not follow the environment here", dir)
	}
	leftover := filepath.Join(dir, "intekenlijst-old.pdf")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(leftover, []byte("%PDF-"), 0o600); err != nil {
		t.Fatal(err)
	}
	sh, db := newTestShell(t, LanguageDutch)
	goroutines := background
	background = func(f func()) { f() }
	t.Cleanup(func() { background = goroutines })
	shell := NewShell(sh.app, sh.app.NewWindow("second"), db, nil)
	defer shell.Close()
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("a PDF of the last run is still there (%v)", err)
	}
	sheet := sh.studyDay.sheet
	printed, err := writePrintFile(dir, sheetFileName(sheet), func(w io.Writer) error { return reports.SignUpSheetPDF(w, sheet, db.Now()) })
	if err != nil {
		t.Fatal(err)
	}
	lifecycle, ok := sh.app.Lifecycle().(interface{ OnStopped() func() })
	if !ok || lifecycle.OnStopped() == nil {
		t.Fatal("NewShell set no hook for the app stopping")
	}
	lifecycle.OnStopped()() // what the driver runs when the last window closes
	if _, err := os.Stat(printed); !os.IsNotExist(err) {
		t.Errorf("the printed PDF is still there after the app stopped (%v)", err)
	}
}

func TestStudyDay_TouchTargets(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	sh.tabs.SelectIndex(2)
	s := sh.studyDay
	for name, b := range map[string]*widget.Button{"print": s.printButton, "save": s.saveButton, "register": s.registerButton} {
		if h := b.Size().Height; h < touchSize {
			t.Errorf("%s button is %.0f high, want at least %.0f", name, h, touchSize)
		}
	}
	test.Tap(s.registerButton)
	if h := s.form.lines[0].tap.Size().Height; h < touchSize {
		t.Errorf("a child's row on the form is %.0f high, want at least %.0f", h, touchSize)
	}
}

// S2: the planner cancels a study day below its minimum: asked first, then
// the children leave the day's list, and the notice for their parents prints.
func TestStudyDay_S2_CancelBelowMinimumAndPrintNotice(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	s := sh.studyDay
	s.printDir = t.TempDir()
	var opened []*url.URL
	s.openURL = func(u *url.URL) error { opened = append(opened, u); return nil }
	sd := demoStudyDay(t, s)
	var signedUp []data.StudyDayRow
	for _, r := range s.sheet.Rows {
		if r.SignUp != nil {
			signedUp = append(signedUp, r)
		}
	}
	if len(signedUp) != 2 {
		t.Fatalf("%d sign-ups, want the demo's 2", len(signedUp))
	}

	test.Tap(s.cancelButton)
	if text := dialogText(t, sh.window); !strings.Contains(text, "The 2 signed-up children leave that day's list") {
		t.Fatalf("the confirmation says %q", text)
	}
	tapDialogButton(t, sh.window, "No")
	if s.sheet.State() != data.StateBelowMinimum {
		t.Fatalf("after No the study day is %q", s.sheet.State())
	}

	test.Tap(s.cancelButton)
	tapDialogButton(t, sh.window, "Yes")
	if s.sheet.State() != data.StateCancelled || !strings.HasPrefix(s.status.Text, "Care on this study day is cancelled, decided by") {
		t.Fatalf("after cancelling: state %q, status %q", s.sheet.State(), s.status.Text)
	}
	if s.cancelButton.Visible() || !s.noticeButton.Visible() || !s.registerButton.Disabled() || !s.printButton.Disabled() {
		t.Error("a cancelled day offers the notice only")
	}
	for _, r := range signedUp {
		list, _ := db.DayList(t.Context(), r.Group.ID, sd.Date)
		for _, row := range list.Rows {
			if row.Child.ID == r.Child.ID {
				t.Errorf("%s is still on the list of %s", r.Child.Name(), sd.Date)
			}
		}
	}

	test.Tap(s.noticeButton)
	if len(opened) != 1 {
		t.Fatalf("opened %v, want the notice", opened)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.FromSlash(opened[0].Path), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, r := range signedUp {
		if !strings.Contains(string(text), "Dear parents of "+r.Child.Name()) {
			t.Errorf("the notice has no page for the parents of %s", r.Child.Name())
		}
	}
}

// S2: going ahead below the minimum is one confirmed tap, and says who decided.
func TestStudyDay_S2_GoAheadBelowMinimum(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.studyDay
	test.Tap(s.aheadButton)
	tapDialogButton(t, sh.window, "Ja")
	if s.sheet.State() != data.StateGoesAhead || !strings.Contains(s.status.Text, "de opvang gaat door, besloten door") {
		t.Fatalf("after going ahead: state %q, status %q", s.sheet.State(), s.status.Text)
	}
	if s.aheadButton.Visible() || !s.cancelButton.Visible() {
		t.Error("after going ahead only cancelling is left to decide")
	}
}
