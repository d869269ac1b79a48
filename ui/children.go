package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// childrenScreen is the location's children for managers and office: find
// a child by name or number and open the card, add a child, or import
// children and contracts from the planning system.
type childrenScreen struct {
	store  data.Store
	window fyne.Window
	jobs   *jobs
	// openCard opens a child's card at a tab.
	openCard func(childID data.ID, tab cardTab)

	locationSelect *widget.Select
	search         *widget.Entry
	list           *widget.List
	count          *widget.Label
	addButton      *widget.Button

	locations []data.Location
	children  []data.Child
	shown     []data.Child
	stopFeed  func()
	// childrenLoad is the latest load of the list.
	childrenLoad latest
	// form is the child form last opened, importer the import.
	form     *childForm
	importer *childImport
}

func newChildrenScreen(store data.Store, window fyne.Window, jobs *jobs, openCard func(data.ID, cardTab)) *childrenScreen {
	s := &childrenScreen{store: store, window: window, jobs: jobs, openCard: openCard}
	s.stopFeed = follow(jobs, store, s.onChange)
	return s
}

func (s *childrenScreen) buildUI() fyne.CanvasObject {
	s.locationSelect = &widget.Select{PlaceHolder: lang.L("Location"), OnChanged: func(string) { s.reload() }}
	s.search = &widget.Entry{PlaceHolder: lang.L("Search by name or child number"), OnChanged: func(string) { s.filter() }}
	s.count = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	var add fyne.CanvasObject
	s.addButton, add = newTouchButton(lang.L("Add child…"), theme.ContentAddIcon(), s.onAdd)
	_, imp := newTouchButton(lang.L("Import children…"), theme.UploadIcon(), s.onImport)
	s.list = &widget.List{
		Length: func() int { return len(s.shown) },
		CreateItem: func() fyne.CanvasObject {
			return touchable(container.NewVBox(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
				&widget.Label{Truncation: fyne.TextTruncateEllipsis}), 0)
		},
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			c := s.shown[i]
			lines := o.(*fyne.Container).Objects[0].(*fyne.Container).Objects
			lines[0].(*widget.Label).SetText(c.Name())
			lines[1].(*widget.Label).SetText(s.childDetail(c))
		},
		OnSelected: func(i widget.ListItemID) {
			s.list.UnselectAll()
			if s.openCard != nil && i < len(s.shown) {
				s.openCard(s.shown[i].ID, cardContracts)
			}
		},
	}
	header := container.NewVBox(
		container.NewBorder(nil, nil, touchable(s.locationSelect, 200), container.NewHBox(add, imp)),
		container.NewBorder(nil, nil, nil, s.count, touchable(s.search, 0)))
	s.loadLocations()
	return container.NewBorder(header, nil, nil, nil, s.list)
}

func (s *childrenScreen) close() {
	s.stopFeed()
	s.jobs.close()
}

func (s *childrenScreen) onChange(c data.Change) {
	if c.Kind == data.ChangeCatalog {
		fyne.Do(s.reload)
	}
}

func (s *childrenScreen) loadLocations() {
	load(s.jobs, nil, s.store.Locations, func(locations []data.Location, err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.locations = locations
		offer(s.locationSelect, namesOf(locations, locationName))
		if len(locations) < 2 {
			s.locationSelect.Hide()
		}
	})
}

func (s *childrenScreen) locationID() data.ID {
	if i := s.locationSelect.SelectedIndex(); i >= 0 && i < len(s.locations) {
		return s.locations[i].ID
	}
	return 0
}

func (s *childrenScreen) reload() {
	id := s.locationID()
	if id == 0 {
		return
	}
	store := s.store
	load(s.jobs, &s.childrenLoad, func(ctx context.Context) ([]data.Child, error) { return store.Children(ctx, id) }, func(children []data.Child, err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.children = children[:0:0]
		for _, c := range children {
			if c.RemovedOn.IsZero() { // a purged record has no name to show
				s.children = append(s.children, c)
			}
		}
		s.filter()
	})
}

// filter shows the children whose name or number holds the search text.
func (s *childrenScreen) filter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	s.shown = s.shown[:0]
	for _, c := range s.children {
		if q == "" || strings.Contains(strings.ToLower(c.Name()), q) || strings.Contains(strings.ToLower(c.Number), q) {
			s.shown = append(s.shown, c)
		}
	}
	s.count.SetText(lang.N("{{.Count}} child", len(s.shown), map[string]any{"Count": len(s.shown)}))
	s.list.Refresh()
}

func (s *childrenScreen) childDetail(c data.Child) string {
	text := lang.L("born {{.Date}}", map[string]any{"Date": shortDate(c.BirthDate)})
	if c.Number != "" {
		text += " · " + lang.L("no. {{.Number}}", map[string]any{"Number": c.Number})
	}
	return text
}

// onAdd adds a child at the shown location; its card opens on the
// contracts next, as a child without contract is on no list.
func (s *childrenScreen) onAdd() {
	base := data.Child{LocationID: s.locationID()}
	s.form = newChildForm(s.store, s.window, s.jobs, base, func(c data.Child) {
		if s.openCard != nil {
			s.openCard(c.ID, cardContracts)
		}
	})
	s.form.show()
}

// onImport opens the import of children and contracts from the planning system.
func (s *childrenScreen) onImport() {
	s.importer = newChildImport(s.store, s.window, s.jobs)
	s.importer.show()
}

func (s *childrenScreen) showError(err error) {
	fyne.LogError("children", err)
	dialog.ShowInformation(lang.L("Children"), userMessage(err), s.window)
}
