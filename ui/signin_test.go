package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// newLockedShell opens the demo on a clock the test moves, showing the sign-in screen.
func newLockedShell(t *testing.T, now *time.Time) *Shell {
	t.Helper()
	a := test.NewTempApp(t)
	if err := UseLanguage(LanguageDutch); err != nil {
		t.Fatal(err)
	}
	db, _ := datatest.Open(t, datatest.Moving(now), datatest.WithDemo())
	w := a.NewWindow("test")
	w.Resize(fyne.NewSize(1200, 800))
	sh := &Shell{app: a, window: w, base: db, async: func(f func()) { f() }}
	sh.showSignIn()
	t.Cleanup(sh.Close)
	return sh
}

// tapText taps the visible button with the given text in the window.
func tapText(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no button %q on screen", text)
}

// shownTexts are the texts of the visible labels in the window.
func shownTexts(w fyne.Window) string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, " | ")
}

func tabTitles(sh *Shell) []string {
	var titles []string
	for _, item := range sh.tabs.Items {
		titles = append(titles, item.Text)
	}
	return titles
}

func signInWithPad(t *testing.T, sh *Shell, name, pin string) {
	t.Helper()
	tapText(t, sh.window, name)
	for _, digit := range pin {
		tapText(t, sh.window, string(digit))
	}
	tapText(t, sh.window, "Aanmelden")
}

func TestSignIn_StaffWithPINPadSeesTheirScreens(t *testing.T) {
	now := testNow
	sh := newLockedShell(t, &now)
	if !strings.Contains(shownTexts(sh.window), "Wie ben je? Tik op je naam.") {
		t.Fatalf("the app opens on %q, want the sign-in screen", shownTexts(sh.window))
	}

	signInWithPad(t, sh, "Tess Janssen", "2222")

	if sh.actor == nil || sh.actor.Name != "Tess Janssen" {
		t.Fatalf("signed in as %+v", sh.actor)
	}
	if !strings.Contains(shownTexts(sh.window), "Tess Janssen · pedagogisch medewerker") {
		t.Errorf("the bar does not say who is signed in: %q", shownTexts(sh.window))
	}
	titles := strings.Join(tabTitles(sh), ",")
	if !strings.Contains(titles, "Aanwezigheidslijst") || !strings.Contains(titles, "Goedkeuren aanvragen") ||
		strings.Contains(titles, "Kalender") || strings.Contains(titles, "Foto-toestemming") {
		t.Errorf("group staff see tabs %s", titles)
	}
}

func TestSignIn_WrongPINAndLockOut(t *testing.T) {
	now := testNow
	sh := newLockedShell(t, &now)
	signInWithPad(t, sh, "Tess Janssen", "0000")
	if sh.actor != nil || !strings.Contains(shownTexts(sh.window), "Verkeerde pincode of wachtwoord") {
		t.Fatalf("after a wrong PIN: actor %+v, screen %q", sh.actor, shownTexts(sh.window))
	}
	for range 4 {
		for range 4 {
			tapText(t, sh.window, "0")
		}
		tapText(t, sh.window, "Aanmelden")
	}
	if !strings.Contains(shownTexts(sh.window), "Te vaak een verkeerde pincode") {
		t.Fatalf("after five wrong PINs: %q", shownTexts(sh.window))
	}
	for _, digit := range "2222" {
		tapText(t, sh.window, string(digit))
	}
	tapText(t, sh.window, "Aanmelden")
	if sh.actor != nil {
		t.Fatal("the right PIN signed in during the lock-out")
	}
}

func TestSignIn_AutoLockAfterIdleTimeAndSignOut(t *testing.T) {
	now := testNow
	sh := newLockedShell(t, &now)
	signInWithPad(t, sh, "Marieke de Boer", "1234")

	now = now.Add(4 * time.Minute)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	test.Tap(row.primary) // a check-in counts as use
	now = now.Add(4 * time.Minute)
	sh.lockIfIdle()
	if sh.actor == nil {
		t.Fatal("locked 4 minutes after the last use; the setting is 5")
	}
	now = now.Add(90 * time.Second)
	sh.lockIfIdle()
	if sh.actor != nil || !strings.Contains(shownTexts(sh.window), "Wie ben je?") {
		t.Fatalf("not locked after 5.5 idle minutes: %q", shownTexts(sh.window))
	}

	signInWithPad(t, sh, "Marieke de Boer", "1234")
	if _, ok := sh.window.Content().(*fyne.Container); !ok || sh.tabs == nil {
		t.Fatal("no screens after signing in again")
	}
	tapText(t, sh.window, "Afmelden")
	if sh.actor != nil {
		t.Fatal("signing out did not lock")
	}
}

func TestSignIn_ManagerSeesEveryTab(t *testing.T) {
	now := testNow
	sh := newLockedShell(t, &now)
	signInWithPad(t, sh, "Marieke de Boer", "1234")
	want := []string{"Aanwezigheidslijst", "Goedkeuren aanvragen", "Kinderen", "Foto-toestemming", "Kalender", "Studiedagen", "Facturatie", "Beheer", "Logboek"}
	got := tabTitles(sh)
	if len(got) != len(want) {
		t.Fatalf("tabs %v, want %v", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("tabs %v, want %v", got, want)
		}
	}
}

func TestShell_BackupFailureIsShown(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	sh.ShowBackupFailure(errors.New("write backups/locatiedesk-2026-11-25.db: no space left on device"))
	top := sh.window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no message about the failed backup")
	}
	var texts []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	all := strings.Join(texts, " ")
	if !strings.Contains(all, "controleer de vrije schijfruimte") || !strings.Contains(all, "no space left on device") {
		t.Fatalf("the message says %q", all)
	}
}

func TestShell_DamagedFileSaysHowToRestore(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	damaged := &data.DamagedError{Path: "/data/locatiedesk.db", Detail: "page 55: unexpected type", Backup: "/data/backups/locatiedesk-2026-11-24.db"}
	sh.ShowBackupFailure(fmt.Errorf("daily backup: %w", damaged))
	top := sh.window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no message about the damaged file")
	}
	var texts []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	all := strings.Join(texts, " ")
	if !strings.Contains(all, "beschadigd") || !strings.Contains(all, "locatiedesk restore --db /data/locatiedesk.db /data/backups/locatiedesk-2026-11-24.db") || strings.Contains(all, "schijfruimte") {
		t.Fatalf("message: %q", all)
	}
}
