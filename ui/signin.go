package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// signInScreen is what a shared tablet shows when nobody is signed in: every
// colleague's name as a big button, then a PIN pad (an office user types a
// password in the same field).
type signInScreen struct {
	window   fyne.Window
	store    data.Store
	jobs     *jobs
	onSignIn func(data.Actor)

	users   []data.User
	chosen  *data.User
	root    *fyne.Container // the whole screen, laid out again when the names arrive
	names   *fyne.Container
	pad     *fyne.Container
	title   *widget.Label
	secret  *widget.Entry
	message *widget.Label
	submit  *widget.Button
	digits  map[string]*widget.Button
}

func newSignInScreen(window fyne.Window, store data.Store, jobs *jobs, onSignIn func(data.Actor)) *signInScreen {
	return &signInScreen{window: window, store: store, jobs: jobs, onSignIn: onSignIn, digits: map[string]*widget.Button{}}
}

func (s *signInScreen) buildUI() fyne.CanvasObject {
	s.names = container.NewGridWrap(fyne.NewSize(260, 72))
	s.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter}
	s.secret = &widget.Entry{Password: true, PlaceHolder: lang.L("PIN or password"), OnSubmitted: func(string) { s.onSubmit() }}
	s.message = &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	keys := container.NewGridWithColumns(3)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "C"} {
		key := k
		b, box := newTouchButton(key, nil, func() { s.onKey(key) })
		s.digits[key] = b
		keys.Add(container.New(minSizeLayout{fyne.NewSquareSize(72)}, box))
	}
	var submitBox, backBox fyne.CanvasObject
	s.submit, submitBox = newTouchButton(lang.L("Sign in"), theme.LoginIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	_, backBox = newTouchButton(lang.L("Someone else"), theme.NavigateBackIcon(), s.showNames)
	s.pad = container.NewVBox(s.title, touchable(s.secret, 260), keys, submitBox, backBox, s.message)

	heading := &widget.Label{Text: lang.L("Who are you? Tap your name."), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter}
	s.root = container.NewCenter(container.NewVBox(heading, s.names, container.NewCenter(s.pad)))
	s.loadUsers()
	s.showNames()
	return s.root
}

func (s *signInScreen) loadUsers() {
	load(s.jobs, nil, s.store.Users, s.showUsers)
}

// showUsers offers a button for each user loaded.
func (s *signInScreen) showUsers(users []data.User, err error) {
	if err != nil {
		fyne.LogError("sign-in", err)
		s.message.SetText(userMessage(err))
		return
	}
	s.users = users
	s.names.Objects = nil
	for i := range users {
		u := &users[i]
		s.names.Add(&widget.Button{Text: u.Name, Icon: theme.AccountIcon(), OnTapped: func() { s.choose(u) }})
	}
	// The names arrive after the screen was laid out empty: the centred
	// column must be laid out again for its new size.
	s.root.Refresh()
}

func (s *signInScreen) showNames() {
	s.chosen = nil
	s.secret.SetText("")
	s.message.SetText("")
	s.names.Show()
	s.pad.Hide()
}

func (s *signInScreen) choose(u *data.User) {
	s.chosen = u
	s.title.SetText(u.Name)
	s.secret.SetText("")
	s.message.SetText("")
	s.names.Hide()
	s.pad.Show()
	// The PIN field has the focus, so an office keyboard types into it at
	// once. Focused after this event: a name chosen with the Space key would
	// otherwise type that space into the PIN.
	fyne.Do(func() { s.window.Canvas().Focus(s.secret) })
}

func (s *signInScreen) onKey(key string) {
	switch key {
	case "⌫":
		if t := s.secret.Text; t != "" {
			s.secret.SetText(t[:len(t)-1])
		}
	case "C":
		s.secret.SetText("")
	default:
		s.secret.SetText(s.secret.Text + key)
	}
}

func (s *signInScreen) onSubmit() {
	if s.chosen == nil || strings.TrimSpace(s.secret.Text) == "" {
		return
	}
	userID, secret := s.chosen.ID, s.secret.Text
	s.submit.Disable()
	s.jobs.write(func(ctx context.Context) {
		actor, err := s.store.SignIn(ctx, userID, secret) // bcrypt: deliberately slow, so off the UI goroutine
		fyne.Do(func() {
			s.submit.Enable()
			s.secret.SetText("")
			if err != nil {
				s.message.SetText(signInMessage(err))
				return
			}
			s.onSignIn(actor)
		})
	})
}

// signInMessage says why signing in failed: the store's refusal (which names
// until when a lock-out lasts), or in general words for a bare sentinel.
func signInMessage(err error) string {
	if text, ok := refusalText(err); ok {
		return text
	}
	switch {
	case errors.Is(err, data.ErrLockedOut):
		return lang.L("Too many wrong attempts. Wait a few minutes, or ask a colleague to sign in.")
	case errors.Is(err, data.ErrWrongSecret):
		return lang.L("Wrong PIN or password. Try again.")
	default:
		return userMessage(err)
	}
}

// newSignedInBar shows who is signed in, with the button that signs out (and
// so locks the tablet for the next colleague).
func newSignedInBar(actor data.Actor, onLock func(), extra ...fyne.CanvasObject) fyne.CanvasObject {
	who := &widget.Label{Text: actor.Name + " · " + roleText(actor.Role), Alignment: fyne.TextAlignTrailing, TextStyle: fyne.TextStyle{Italic: true}}
	_, lock := newTouchButton(lang.L("Sign out"), theme.LogoutIcon(), onLock)
	return container.NewBorder(nil, nil, nil, container.NewHBox(lock, container.NewHBox(extra...)),
		container.NewVBox(layout.NewSpacer(), who, layout.NewSpacer()))
}

func roleText(r data.Role) string {
	switch r {
	case data.RoleManager:
		return lang.L("location manager")
	case data.RoleStaff:
		return lang.L("group staff")
	default:
		return lang.L("office")
	}
}
