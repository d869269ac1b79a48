// Package ui is Locatiedesk's window: the only package that imports Fyne
// widgets. One file per screen; each screen is a struct holding its widgets,
// built by buildUI and driven by onX handlers, reading and writing through Store.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// AppTitle starts every window title.
const AppTitle = "Locatiedesk"

// Shell is the main window's content: navigation, settings and the screens.
type Shell struct {
	app    fyne.App
	window fyne.Window
	store  Store
	user   string
	// async runs store writes off the UI goroutine; tests run them inline.
	async func(func())

	attendance *attendanceScreen
	consent    *consentOverview
	tabs       *container.AppTabs

	calendar     *calendarScreen
	studyDay     *studyDayScreen
	studyDayTab  *container.TabItem
	printDir     string // PDFs opened for printing; see printfiles.go
	approvals    *approvalsScreen
	approvalsTab *container.TabItem
	card         *childCard   // the child's card last opened
	request      *requestForm // the request form last opened
	export       *exportScreen
	exportTab    *container.TabItem
}

// NewShell builds the main window's content for the given user and sets it.
func NewShell(a fyne.App, w fyne.Window, store Store, user string) *Shell {
	sh := &Shell{app: a, window: w, store: store, user: user, async: func(f func()) { go f() }}
	sh.printDir = defaultPrintDir()
	removePrintFiles(sh.printDir)
	a.Lifecycle().SetOnStopped(func() { removePrintFiles(sh.printDir) })
	sh.build()
	return sh
}

func (sh *Shell) build() {
	sh.window.SetTitle(AppTitle)
	if locations, err := sh.store.Locations(); err == nil && len(locations) == 1 {
		sh.window.SetTitle(AppTitle + " — " + locations[0].Name)
	}
	sh.attendance = newAttendanceScreen(sh.store, sh.window, sh.user, sh.async)
	sh.attendance.openCard = sh.showChildCard
	sh.attendance.openRequest = sh.showRequestForm
	sh.approvals = newApprovalsScreen(sh.store, sh.window, sh.user, sh.async, sh.setApprovalCount)
	sh.approvalsTab = container.NewTabItemWithIcon(lang.L("Approve requests"), theme.ConfirmIcon(), sh.approvals.buildUI())
	sh.consent = newConsentOverview(sh.store, sh.window, sh.user, sh.async)
	sh.consent.openCard = func(childID data.ID) { sh.showChildCard(childID, 0, sh.store.Today(), cardConsent) }
	sh.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Attendance list"), theme.ListIcon(), sh.attendance.buildUI()),
		sh.approvalsTab,
		container.NewTabItemWithIcon(lang.L("Photo consent"), theme.MediaPhotoIcon(), sh.consent.buildUI()),
	)
	sh.studyDay = newStudyDayScreen(sh.store, sh.window, sh.app, sh.user, sh.async, sh.printDir)
	sh.calendar = newCalendarScreen(sh.store, sh.window, sh.async, sh.showStudyDay)
	sh.tabs.Append(container.NewTabItemWithIcon(lang.L("Calendar"), theme.CalendarIcon(), sh.calendar.buildUI()))
	sh.studyDayTab = container.NewTabItemWithIcon(lang.L("Study days"), theme.DocumentPrintIcon(), sh.studyDay.buildUI())
	sh.tabs.Append(sh.studyDayTab)
	sh.export = newExportScreen(sh.store, sh.window, sh.user, sh.async)
	sh.exportTab = container.NewTabItemWithIcon(lang.L("Invoicing"), theme.DocumentIcon(), sh.export.buildUI())
	sh.tabs.Append(sh.exportTab)
	sh.tabs.OnSelected = func(t *container.TabItem) { sh.export.setShown(t == sh.exportTab) }
	sh.approvals.reload() // the tab title shows the count from the start
	_, settings := newTouchButton(lang.L("Settings"), theme.SettingsIcon(), sh.onSettings)
	who := widget.NewLabelWithStyle(sh.user, fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
	top := container.NewBorder(nil, nil, nil, container.NewHBox(who, settings))
	sh.window.SetContent(container.NewBorder(top, nil, nil, nil, sh.tabs))
}

// Close stops the screens listening to the store.
func (sh *Shell) Close() {
	sh.attendance.close()
	sh.approvals.close()
	sh.consent.close()
	sh.calendar.close()
	sh.studyDay.close()
	sh.export.close()
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
	sh.card = newChildCard(sh.store, sh.window, sh.user, sh.async, childID, groupID, date)
	sh.card.show(tab)
}

// showRequestForm opens "extra opvang aanvragen" for a group and day.
func (sh *Shell) showRequestForm(groupID data.ID, date data.Date) {
	sh.request = newRequestForm(sh.store, sh.window, sh.user, sh.async, groupID, 0, date)
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
	items := []*widget.FormItem{{Text: lang.L("Language"), Widget: choice}}
	dialog.ShowForm(lang.L("Settings"), lang.L("Save"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		for i, c := range choices {
			if c == choice.Selected {
				sh.setLanguage(codes[i])
			}
		}
	}, sh.window)
}

// setLanguage stores the choice and rebuilds the window in that language.
func (sh *Shell) setLanguage(code string) {
	sh.app.Preferences().SetString(PrefLanguage, code)
	if err := UseLanguage(code); err != nil {
		fyne.LogError("language", err)
		dialog.ShowError(err, sh.window)
		return
	}
	sh.Close()
	sh.build()
}
