package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
)

// fakeConnection is a tablet's link to the hub that the test moves.
type fakeConnection struct {
	mu        sync.Mutex
	online    bool
	pending   int
	refused   []data.RefusedAction
	signIn    []string
	dismissed []uint64
	onChange  func()
}

func (f *fakeConnection) Online() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.online
}

func (f *fakeConnection) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending
}

func (f *fakeConnection) Refused() []data.RefusedAction {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]data.RefusedAction(nil), f.refused...)
}

func (f *fakeConnection) SignInNeeded() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.signIn
}

func (f *fakeConnection) Dismiss(id uint64) error {
	f.set(func() {
		f.dismissed = append(f.dismissed, id)
		for i, r := range f.refused {
			if r.ID == id {
				f.refused = append(f.refused[:i], f.refused[i+1:]...)
				break
			}
		}
	})
	return nil
}

func (f *fakeConnection) OnChange(fn func()) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onChange = fn
	return func() {}
}

// set changes the link and tells the shell, as the outbox does.
func (f *fakeConnection) set(change func()) {
	f.mu.Lock()
	change()
	fn := f.onChange
	f.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// bannerShown is the banner's text, "" when it is hidden.
func bannerShown(sh *Shell) string {
	b := sh.connection
	if b == nil || !b.object.Visible() || !b.text.Visible() {
		return ""
	}
	return b.text.Text
}

// inWindow reports whether obj is drawn in the window's content.
func inWindow(w fyne.Window, obj fyne.CanvasObject) bool {
	for _, o := range test.LaidOutObjects(w.Content()) {
		if o == obj {
			return true
		}
	}
	return false
}

// TestConnection_D2_BannerWhileOffline: without the hub, a banner above
// every screen says so with the number kept; it goes when all is sent.
func TestConnection_D2_BannerWhileOffline(t *testing.T) {
	for _, tc := range []struct{ language, offlineNothingKept, offline, sending string }{
		{LanguageEnglish, "No connection to the location's computer — check-ins are kept on this tablet",
			"No connection to the location's computer — check-ins are kept on this tablet (3 waiting)",
			"Sending what this tablet kept to the location's computer (1 waiting)"},
		{LanguageDutch, "Geen verbinding met de computer van de locatie — in- en uitchecken wordt op deze tablet bewaard",
			"Geen verbinding met de computer van de locatie — in- en uitchecken wordt op deze tablet bewaard (3 wachten)",
			"Wat deze tablet bewaarde gaat naar de computer van de locatie (1 wacht)"},
	} {
		t.Run(tc.language, func(t *testing.T) {
			sh, _ := newTestShell(t, tc.language)
			conn := &fakeConnection{online: true}
			sh.FollowConnection(conn)
			if got := bannerShown(sh); got != "" {
				t.Errorf("online with nothing kept, the banner says %q", got)
			}

			conn.set(func() { conn.online = false })
			if got := bannerShown(sh); got != tc.offlineNothingKept {
				t.Errorf("offline with nothing kept: banner %q, want %q", got, tc.offlineNothingKept)
			}
			conn.set(func() { conn.online, conn.pending = false, 3 })
			if got := bannerShown(sh); got != tc.offline {
				t.Errorf("offline: banner %q, want %q", got, tc.offline)
			}
			if !inWindow(sh.window, sh.connection.text) {
				t.Error("the banner is not in the window")
			}
			sh.showSignIn() // another screen: the banner stays above it
			if !inWindow(sh.window, sh.connection.text) {
				t.Error("the banner went with the screen it was shown above")
			}

			conn.set(func() { conn.online, conn.pending = true, 1 })
			if got := bannerShown(sh); got != tc.sending {
				t.Errorf("sending: banner %q, want %q", got, tc.sending)
			}
			conn.set(func() { conn.pending = 0 })
			if got := bannerShown(sh); got != "" {
				t.Errorf("all sent: banner %q, want none", got)
			}
		})
	}
}

// TestConnection_D2_SignInAgainToSend: the hub no longer knew a person's
// session when their kept actions were sent; the banner asks them to sign in.
func TestConnection_D2_SignInAgainToSend(t *testing.T) {
	sh, _ := newTestShell(t, LanguageEnglish)
	conn := &fakeConnection{online: true, pending: 2, signIn: []string{"Tess Janssen"}}
	sh.FollowConnection(conn)
	if got := bannerShown(sh); !strings.Contains(got, "Tess Janssen: sign out and sign in again, so that the location's computer knows you") {
		t.Errorf("banner %q", got)
	}
}

// TestConnection_D2_RefusedActionsAreShownUntilSeen: what the hub refused
// when it was sent is listed with the hub's reason in the user's language,
// until the person taps Seen.
func TestConnection_D2_RefusedActionsAreShownUntilSeen(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	conn := &fakeConnection{online: true}
	sh.FollowConnection(conn)
	if sh.connection.refusedBox.Visible() {
		t.Error("nothing refused, yet the refused button shows")
	}
	conn.set(func() {
		conn.refused = []data.RefusedAction{{ID: 7, Action: data.KeptCheckOut, Child: "Zoë Dvořák", Date: data.DateOf(testNow),
			Detail: "08:30", By: "Tess Janssen", At: testNow, Err: data.Refuse(data.RefuseAttendanceNotCheckedIn, nil)}}
	})
	if got := bannerShown(sh); got != "De computer van de locatie heeft 1 handeling van deze tablet zonder verbinding niet geaccepteerd" || !sh.connection.refusedBox.Visible() {
		t.Fatalf("banner %q, refused button shown %v", got, sh.connection.refusedBox.Visible())
	}

	test.Tap(sh.connection.refusedButton)
	text := dialogText(t, sh.window)
	for _, want := range []string{"Uitchecken · Zoë Dvořák · 08:30", "door Tess Janssen", "Het kind is niet ingecheckt."} {
		if !strings.Contains(text, want) {
			t.Errorf("the refused list lacks %q:\n%s", want, text)
		}
	}
	pressKey(sh.window, fyne.KeyEscape)
	if top := sh.window.Canvas().Overlays().Top(); top != nil {
		t.Fatal("Escape left the list open")
	}
	test.Tap(sh.connection.refusedButton)
	tapDialogButton(t, sh.window, "Gezien")
	if len(conn.dismissed) != 1 || conn.dismissed[0] != 7 {
		t.Errorf("dismissed %v, want 7", conn.dismissed)
	}
	if top := sh.window.Canvas().Overlays().Top(); top != nil {
		t.Error("the list stays open with nothing left in it")
	}
	if sh.connection.object.Visible() {
		t.Error("the banner stays with nothing to say")
	}
}

// staleStore gives the list of who is here as a tablet without connection
// makes it: from its last state.
type staleStore struct {
	data.Store
	stateOf time.Time
}

func (s staleStore) PresentNow(ctx context.Context, locationID, groupID data.ID) (data.PresentList, error) {
	p, err := s.Store.PresentNow(ctx, locationID, groupID)
	p.Stale, p.StateOf = true, s.stateOf
	return p, err
}

// TestPresent_D2_OfflineSaysTheStateOf: the list of who is here on a tablet
// without connection says in its header that it is the state of a moment.
func TestPresent_D2_OfflineSaysTheStateOf(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	store := staleStore{Store: sh.store, stateOf: time.Date(2026, 11, 25, 9, 41, 0, 0, time.Local)}
	v := &presentView{store: store, window: sh.window, jobs: sh.session.sub(), locationID: 1, printDir: t.TempDir()}
	v.show()
	if got := v.heading.Text; !strings.Contains(got, "Offline — stand van 09:41, mogelijk niet actueel") {
		t.Errorf("heading %q", got)
	}
}

// awayStore is a tablet's store without connection: what a request needs
// is refused as the outbox refuses it.
type awayStore struct{ data.Store }

func (awayStore) RequestChildren(context.Context, data.ID, data.Date) ([]data.Child, error) {
	return nil, data.Refuse(data.RefuseNeedsHub, nil)
}

func (awayStore) PreviewRequest(context.Context, data.RequestDraft) (data.RequestPreview, error) {
	return data.RequestPreview{}, data.Refuse(data.RefuseNeedsHub, nil)
}

// TestRequest_D2_SaysItNeedsTheHub: the request form on a tablet without
// connection says why nothing can be chosen, in the user's language.
func TestRequest_D2_SaysItNeedsTheHub(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	sh.store = awayStore{sh.store}
	sh.showRequestForm(demoBSOYoung, data.DateOf(testNow))
	if got := sh.request.problem.Text; !strings.HasPrefix(got, "Hiervoor is de computer van de locatie nodig") || !sh.request.submit.Disabled() {
		t.Errorf("problem %q, submit disabled %v", got, sh.request.submit.Disabled())
	}
}
