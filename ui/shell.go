// Package ui is Locatiedesk's window: the only package that imports Fyne
// widgets. One file per screen; each screen is a struct holding its widgets,
// built by buildUI and driven by onX handlers, reading and writing through Store.
// A screen never waits for the store on the UI goroutine: it loads with load
// and writes with jobs.write (jobs.go), under a context that ends when the
// screen closes, and draws what came back with fyne.Do.
package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// AppTitle starts every window title.
const AppTitle = "Locatiedesk"

// Shell is the main window's content: sign-in, navigation, settings and the
// screens. Screens exist only while someone is signed in, and write through
// a store handle bound to that person (checked and logged by the store).
type Shell struct {
	app    fyne.App
	window fyne.Window
	base   data.Store // for signing in; no one's handle
	store  data.Store // base.As(actor) while signed in
	actor  *data.Actor
	user   string
	// async runs store work off the UI goroutine; tests run it inline.
	async func(func())
	// windowJobs is the shell's own work (title, first start, sign-in), for as
	// long as the window is open; session is the signed-in user's, ended on
	// sign-out, and every screen works inside it.
	windowJobs, session *jobs
	titleLoad           latest
	// lastActive is when the signed-in user last did something (auto-lock).
	lastActive time.Time

	attendance *attendanceScreen
	consent    *consentOverview
	tabs       *navigation

	calendar     *calendarScreen
	studyDay     *studyDayScreen
	studyDayTab  *container.TabItem
	printDir     string // PDFs opened for printing; see printfiles.go
	approvals    *approvalsScreen
	screens      []screen // the open tabs' screens, closed on sign-out
	approvalsTab *container.TabItem
	card         *childCard   // the child's card last opened
	request      *requestForm // the request form last opened
	export       *exportScreen
	exportTab    *container.TabItem
	manage       *manageScreen
	manageTab    *container.TabItem
	// connection is the banner of a tablet's link to the hub, if it has one.
	connection *connectionBanner
	// fillDemo writes the demo location into the (empty) store, when the
	// first-start screen's user chooses to try it.
	fillDemo func() error
	// connector, when set, lets the first start connect to a hub instead.
	connector Connector
	// hubHost, when set, serves the window's data file to the devices.
	hubHost HubHost
	hub     *hubSwitch // the window's hub, while hubHost is set
}

// ShellOption adds what the window can do beyond its data file.
type ShellOption func(*Shell)

// WithConnector offers "connect to the location's computer" on the first start.
func WithConnector(c Connector) ShellOption { return func(sh *Shell) { sh.connector = c } }

// WithHubHost lets a manager make this computer the location's hub; a
// computer that was the hub serves again when the window opens.
func WithHubHost(h HubHost) ShellOption { return func(sh *Shell) { sh.hubHost = h } }

// background runs a shell's store work off the UI goroutine. Fyne's test
// driver runs fyne.Do on the calling goroutine instead of the UI's, so the
// test of NewShell swaps it for a runner that works inline.
var background = func(f func()) { go f() }

// NewShell sets the main window's content to the sign-in screen (on an
// empty file: the choice between setting up an organisation and the demo,
// which fillDemo writes) and locks it again after the organisation's idle time.
func NewShell(a fyne.App, w fyne.Window, store data.Store, fillDemo func() error, opts ...ShellOption) *Shell {
	sh := &Shell{app: a, window: w, base: store, async: background, fillDemo: fillDemo}
	for _, o := range opts {
		o(sh)
	}
	sh.resumeHub()
	sh.printDir = defaultPrintDir()
	removePrintFiles(sh.printDir)
	a.Lifecycle().SetOnStopped(func() { removePrintFiles(sh.printDir) })
	sh.showStart()
	go sh.watchIdle(time.NewTicker(15 * time.Second).C)
	return sh
}

// showStart asks who is there, or on an empty file what to start with (M1).
func (sh *Shell) showStart() {
	load(sh.own(), nil, sh.base.IsEmpty, func(empty bool, err error) {
		if err != nil {
			fyne.LogError("first start", err)
		}
		if !empty {
			sh.showSignIn()
			return
		}
		sh.showFirstStart()
	})
}

// showFirstStart offers setting up an organisation or trying the demo.
func (sh *Shell) showFirstStart() {
	sh.setTitle()
	var start *firstStartScreen
	start = &firstStartScreen{onSetUp: sh.showSetupWizard, onConnect: sh.connectOffer(), onDemo: func() {
		sh.async(func() {
			err := sh.fillDemo()
			fyne.Do(func() {
				if err != nil {
					start.demoFailed(err)
					return
				}
				sh.showSignIn()
			})
		})
	}}
	sh.setContent(start.buildUI())
}

// connectOffer is the first start's way to a hub, when the window has one.
func (sh *Shell) connectOffer() func() {
	if sh.connector == nil {
		return nil
	}
	return sh.showConnect
}

// showConnect finds the location's hub and pairs this device with it; the
// window then works on the hub's data, and asks who is there.
func (sh *Shell) showConnect() {
	sh.setTitle()
	connect := newConnectScreen(sh.window, sh.connector, sh.own(), sh.showStart, func(hub data.Store) {
		// This device now works on the hub's data; its own empty file is
		// nobody's to serve.
		sh.base, sh.hub = hub, nil
		if c, ok := hub.(Connection); ok {
			sh.FollowConnection(c) // a tablet's outbox: the banner while offline
		}
		sh.showStart()
	})
	sh.window.SetContent(connect.buildUI())
}

// showSetupWizard sets up a new organisation; its first manager is then signed in.
func (sh *Shell) showSetupWizard() {
	wizard := newSetupWizard(sh.base, sh.own(), sh.showStart, sh.signedIn)
	sh.setContent(wizard.buildUI())
}

// showSignIn closes the screens of whoever was signed in and asks who is there.
func (sh *Shell) showSignIn() {
	sh.Close()
	sh.actor, sh.store, sh.user = nil, nil, ""
	sh.setTitle()
	signIn := newSignInScreen(sh.window, sh.base, sh.own(), sh.signedIn)
	sh.setContent(signIn.buildUI())
}

// own is the shell's work for as long as the window is open.
func (sh *Shell) own() *jobs {
	if sh.windowJobs == nil {
		sh.windowJobs = newJobs(context.Background(), sh.async, nil)
	}
	return sh.windowJobs
}

// newSession is the work of whoever signs in; writing counts as being active.
func (sh *Shell) newSession() *jobs { return newJobs(context.Background(), sh.async, sh.touch) }

// signedIn opens the screens for the actor, writing through their own handle.
func (sh *Shell) signedIn(actor data.Actor) {
	sh.actor, sh.user = &actor, actor.Name
	sh.store = sh.base.As(actor)
	sh.session = sh.newSession()
	sh.touch()
	sh.build()
}

// touch records that the signed-in user is active.
func (sh *Shell) touch() { sh.lastActive = sh.base.Now() }

// watchIdle checks on every tick whether the tablet should lock itself.
func (sh *Shell) watchIdle(ticks <-chan time.Time) {
	for range ticks {
		fyne.Do(sh.lockIfIdle)
	}
}

// lockIfIdle locks when nobody has used the app for the organisation's
// auto-lock time, so a tablet left in the group room does not stay open.
func (sh *Shell) lockIfIdle() {
	if sh.actor == nil {
		return
	}
	load(sh.session, nil, sh.base.Settings, func(settings data.Settings, err error) {
		if err != nil {
			fyne.LogError("auto-lock", err)
			settings = data.DefaultSettings()
		}
		if sh.base.Now().Sub(sh.lastActive) >= time.Duration(settings.AutoLockMinutes)*time.Minute {
			sh.showSignIn()
		}
	})
}

// setTitle names the location in the title bar, or the organisation where it has several.
func (sh *Shell) setTitle() {
	base := sh.base
	load(sh.own(), &sh.titleLoad, func(ctx context.Context) (string, error) {
		if locations, err := base.Locations(ctx); err == nil && len(locations) == 1 {
			return AppTitle + " — " + locations[0].Name, nil
		}
		if name, err := base.OrganisationName(ctx); err == nil && name != "" {
			return AppTitle + " — " + name, nil
		}
		return AppTitle, nil
	}, func(title string, _ error) { sh.window.SetTitle(title) })
}

// may reports whether the signed-in role may do action: screens for what
// the role cannot do are not shown (the store refuses it anyway).
func (sh *Shell) may(action data.Action) bool { return data.RoleMay(sh.actor.Role, action) }

// screen is what every tab holds: built once, closed when the user leaves.
type screen interface {
	buildUI() fyne.CanvasObject
	close()
}

// build opens the screens of what the signed-in role may do, one tab each.
// Screens of other roles are not even made, so they do not listen to the store.
func (sh *Shell) build() {
	sh.setTitle()
	_, settings := newTouchButton(lang.L("Settings"), theme.SettingsIcon(), sh.onSettings)
	sh.tabs = newNavigation(sh.window, newSignedInBar(*sh.actor, sh.showSignIn, settings))
	sh.screens = nil
	tab := func(action data.Action, title string, icon fyne.Resource, open func() screen) *container.TabItem {
		if !sh.may(action) {
			return nil
		}
		s := open()
		item := container.NewTabItemWithIcon(title, icon, s.buildUI())
		sh.tabs.Append(item)
		sh.screens = append(sh.screens, s)
		return item
	}
	tab(data.ActAttendance, lang.L("Attendance list"), theme.ListIcon(), func() screen {
		sh.attendance = newAttendanceScreen(sh.store, sh.window, sh.user, sh.session.sub())
		sh.attendance.openCard = sh.showChildCard
		sh.attendance.openRequest = sh.showRequestForm
		return sh.attendance
	})
	sh.approvalsTab = tab(data.ActApprove, lang.L("Approve requests"), theme.ConfirmIcon(), func() screen {
		sh.approvals = newApprovalsScreen(sh.store, sh.window, sh.user, sh.session.sub(), sh.setApprovalCount)
		return sh.approvals
	})
	tab(data.ActContracts, lang.L("Children"), theme.AccountIcon(), func() screen {
		return newChildrenScreen(sh.store, sh.window, sh.session.sub(), func(childID data.ID, t cardTab) {
			sh.showChildCard(childID, 0, sh.store.Today(), t)
		})
	})
	tab(data.ActConsent, lang.L("Photo consent"), theme.MediaPhotoIcon(), func() screen {
		sh.consent = newConsentOverview(sh.store, sh.window, sh.user, sh.session.sub())
		sh.consent.openCard = func(childID data.ID) { sh.showChildCard(childID, 0, sh.store.Today(), cardConsent) }
		return sh.consent
	})
	tab(data.ActCalendar, lang.L("Calendar"), theme.CalendarIcon(), func() screen {
		sh.calendar = newCalendarScreen(sh.store, sh.window, sh.session.sub(), sh.showStudyDay)
		return sh.calendar
	})
	sh.studyDayTab = tab(data.ActCalendar, lang.L("Study days"), theme.DocumentPrintIcon(), func() screen {
		sh.studyDay = newStudyDayScreen(sh.store, sh.window, sh.app, sh.user, sh.session.sub(), sh.printDir)
		return sh.studyDay
	})
	sh.exportTab = tab(data.ActExport, lang.L("Invoicing"), theme.DocumentIcon(), func() screen {
		sh.export = newExportScreen(sh.store, sh.window, sh.user, sh.session.sub())
		return sh.export
	})
	sh.manageTab = tab(data.ActAdmin, lang.L("Management"), theme.StorageIcon(), func() screen {
		sh.manage = newManageScreen(sh.store, sh.window, *sh.actor, sh.session.sub(), sh.reloadActor, sh.hub)
		return sh.manage
	})
	tab(data.ActAdmin, lang.L("Log"), theme.HistoryIcon(), func() screen { return newAuditScreen(sh.store, sh.window, sh.session.sub()) })
	sh.tabs.OnSelected = func(t *container.TabItem) {
		sh.touch()
		if sh.export != nil {
			sh.export.setShown(t == sh.exportTab) // the preview is counted only while in sight
		}
	}
	if sh.approvals != nil {
		sh.approvals.reload() // the tab title shows the count from the start
	}
	sh.setContent(sh.tabs.object)
}

// Close stops the screens listening to the store.
func (sh *Shell) Close() {
	for _, s := range sh.screens {
		s.close()
	}
	sh.screens = nil
	if sh.session != nil {
		sh.session.close()
	}
	sh.attendance, sh.approvals, sh.consent, sh.calendar, sh.studyDay, sh.export, sh.manage = nil, nil, nil, nil, nil, nil, nil
}

// reloadActor reads the signed-in manager's account again after they
// changed what they lead (a location added, their own account edited), and
// reopens the screens on it, back on the management tab.
func (sh *Shell) reloadActor() {
	if sh.actor == nil {
		return
	}
	base, userID := sh.base, sh.actor.UserID
	load(sh.session, nil, func(ctx context.Context) (data.Actor, error) { return base.ActorFor(ctx, userID) }, func(actor data.Actor, err error) {
		if err != nil {
			sh.showSignIn() // deactivated or gone: nobody stays signed in on it
			return
		}
		sh.Close()
		sh.actor, sh.user, sh.store = &actor, actor.Name, sh.base.As(actor)
		sh.session = sh.newSession()
		sh.build()
		if sh.manageTab != nil {
			sh.tabs.Select(sh.manageTab)
		}
	})
}

// showStudyDay opens a study day's sheet, from the calendar.
func (sh *Shell) showStudyDay(schoolID data.ID, d data.Date) {
	sh.studyDay.show(schoolID, d)
	sh.tabs.Select(sh.studyDayTab)
}

// setApprovalCount keeps the number of open requests in the tab title, so it
// is in sight whatever screen is open (R6).
func (sh *Shell) setApprovalCount(n int) {
	if sh.approvalsTab == nil {
		return
	}
	title := lang.L("Approve requests")
	if n > 0 {
		title = lang.L("Approve requests ({{.Count}})", map[string]any{"Count": n})
	}
	if sh.approvalsTab.Text != title {
		sh.approvalsTab.Text = title
		if sh.tabs != nil {
			sh.tabs.Refresh()
		}
	}
}

// showChildCard opens a child's card at a tab, from the list of a group and day.
func (sh *Shell) showChildCard(childID, groupID data.ID, date data.Date, tab cardTab) {
	sh.card = newChildCard(sh.store, sh.window, sh.user, sh.session.sub(), childID, groupID, date, sh.may(data.ActContracts))
	sh.card.show(tab)
}

// showRequestForm opens "extra opvang aanvragen" for a group and day.
func (sh *Shell) showRequestForm(groupID data.ID, date data.Date) {
	sh.request = newRequestForm(sh.store, sh.window, sh.user, sh.session.sub(), groupID, 0, date)
	sh.request.show()
}

func (sh *Shell) onSettings() {
	choices := []string{lang.L("Same as the computer"), "Nederlands", "English"}
	codes := []string{LanguageSystem, LanguageDutch, LanguageEnglish}
	current := sh.app.Preferences().StringWithFallback(PrefLanguage, LanguageSystem)
	choice := widget.NewRadioGroup(choices, nil)
	for i, c := range codes {
		if c == current {
			choice.SetSelected(choices[i])
		}
	}
	var d *formDialog
	_, own := newTouchButton(lang.L("Change my PIN or password"), theme.AccountIcon(), func() {
		d.dialog.Hide()
		sh.onChangeOwnSecret()
	})
	items := []*widget.FormItem{{Text: lang.L("Language"), Widget: choice}, {Text: lang.L("My account"), Widget: own}}
	if sh.manage != nil {
		_, org := newTouchButton(lang.L("Organisation settings"), theme.SettingsIcon(), func() {
			d.dialog.Hide()
			sh.tabs.Select(sh.manageTab)
			sh.manage.showSettings()
		})
		items = append(items, &widget.FormItem{Text: lang.L("Rules"), Widget: org})
		_, devices := newTouchButton(lang.L("Devices"), theme.ComputerIcon(), func() {
			d.dialog.Hide()
			sh.tabs.Select(sh.manageTab)
			sh.manage.showDevices()
		})
		items = append(items, &widget.FormItem{Text: lang.L("Tablets and hub"), Widget: devices})
	}
	d = showFormDialog(sh.window, lang.L("Settings"), lang.L("Save"), items, func() (func(), string) {
		return func() {
			for i, c := range choices {
				if c == choice.Selected {
					sh.setLanguage(codes[i])
				}
			}
		}, ""
	})
}

// onChangeOwnSecret lets whoever is signed in change their own PIN or
// password; the current one is asked first.
func (sh *Shell) onChangeOwnSecret() {
	current, secret, repeat := newPasswordField(), newPasswordField(), newPasswordField()
	items := []*widget.FormItem{
		{Text: lang.L("Current PIN or password"), Widget: current},
		{Text: lang.L("New PIN or password"), Widget: secret, HintText: lang.L("A PIN has 4 to 6 digits; a password at least 8 characters")},
		{Text: lang.L("Repeat"), Widget: repeat},
	}
	showFormDialog(sh.window, lang.L("Change my PIN or password"), lang.L("Save"), items, func() (func(), string) {
		switch {
		case secret.Text != repeat.Text:
			return nil, lang.L("The two entries differ.")
		case data.ValidateSecret(secret.Text) != nil:
			return nil, lang.L("A PIN has 4 to 6 digits; a password at least 8 characters")
		}
		store, old, next := sh.store, current.Text, secret.Text
		return func() {
			sh.session.write(func(ctx context.Context) {
				err := store.ChangeOwnSecret(ctx, old, next)
				fyne.Do(func() {
					switch {
					case errors.Is(err, data.ErrWrongSecret):
						showInfo(lang.L("Not saved"), lang.L("The current PIN or password is wrong."), sh.window)
					case err != nil:
						showInfo(lang.L("Not saved"), userMessage(err), sh.window)
					default:
						showInfo(lang.L("My account"), lang.L("Your new PIN or password is saved."), sh.window)
					}
				})
			})
		}, ""
	})
}

// setLanguage stores the choice and rebuilds the window in that language.
func (sh *Shell) setLanguage(code string) {
	sh.app.Preferences().SetString(PrefLanguage, code)
	if err := UseLanguage(code); err != nil {
		fyne.LogError("language", err)
		showInfo(lang.L("Language"), err.Error(), sh.window)
		return
	}
	sh.Close()
	sh.session = sh.newSession()
	sh.build()
}

// ShowBackupFailure tells whoever is at the computer that today's automatic
// backup failed (a full disk, say); work goes on, but someone must act.
// When the backup failed because the data file itself is damaged, it says
// so, with the command that restores the newest backup.
// It may be called from any goroutine.
func (sh *Shell) ShowBackupFailure(err error) {
	var damaged *data.DamagedError
	if errors.As(err, &damaged) {
		fyne.Do(func() {
			showInfo(lang.L("The data file is damaged"),
				lang.L("Locatiedesk found damage in its data file. Stop entering data: close Locatiedesk and restore the newest backup with this command, or ask the location manager to:")+
					"\n\n"+damaged.RestoreCommand()+"\n\n"+damaged.Path+": "+damaged.Detail,
				sh.window)
		})
		return
	}
	fyne.Do(func() {
		showInfo(lang.L("Backup failed"),
			lang.L("Today's automatic backup could not be made. Work goes on and nothing is lost, but tell the location manager: check the free disk space.")+"\n\n"+err.Error(),
			sh.window)
	})
}
