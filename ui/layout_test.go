package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// windowSizes are the screens Locatiedesk must work on: a portrait tablet,
// a landscape tablet, a small office screen and a full-HD one.
var windowSizes = []fyne.Size{{Width: 800, Height: 1280}, {Width: 1280, Height: 800}, {Width: 1024, Height: 768}, {Width: 1920, Height: 1080}}

// settle lays the window out, top down, until the heights that follow
// from widths (wrapping rows, stacked list rows) are stable, as the real
// window does frame by frame when a minimum size changes.
func settle(w fyne.Window) {
	w.Content().Refresh()
	for _, o := range w.Canvas().Overlays().List() {
		o.Refresh()
	}
	for range 3 {
		for _, p := range visibleObjects(w) {
			switch o := p.obj.(type) {
			case *fyne.Container:
				if o.Layout != nil {
					o.Layout.Layout(o.Objects, o.Size())
				}
			case fyne.Widget:
				test.WidgetRenderer(o).Layout(o.Size())
			}
		}
	}
}

// placed is an object with its place in the window.
type placed struct {
	obj fyne.CanvasObject
	pos fyne.Position
	// scrolled is set when a scroller encloses the object: it may lie below
	// the fold, since the scroller brings it into view.
	scrolled bool
	// scrollLeft, scrollRight bound the enclosing scroller horizontally.
	scrollLeft, scrollRight float32
}

// visibleObjects walks everything shown in the window and its top overlay
// with absolute positions.
func visibleObjects(w fyne.Window) []placed {
	var out []placed
	var walk func(o fyne.CanvasObject, at fyne.Position, p placed)
	walk = func(o fyne.CanvasObject, at fyne.Position, p placed) {
		if o == nil || !o.Visible() {
			return
		}
		pos := at.Add(o.Position())
		p.obj, p.pos = o, pos
		out = append(out, p)
		if s, ok := o.(*container.Scroll); ok {
			p.scrolled, p.scrollLeft, p.scrollRight = true, pos.X, pos.X+s.Size().Width
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child, pos, p)
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child, pos, p)
			}
		}
	}
	walk(w.Content(), fyne.Position{}, placed{})
	if top := w.Canvas().Overlays().Top(); top != nil {
		walk(top, fyne.Position{}, placed{})
	}
	return out
}

// assertActionsInside checks that every button, picker and field shown lies
// inside the window: a scroller may hold some below the fold, but never
// beside it.
func assertActionsInside(t *testing.T, w fyne.Window, size fyne.Size) {
	t.Helper()
	const slack = 1 // rounding of fractional layouts
	checked := 0
	for _, p := range visibleObjects(w) {
		name := ""
		switch o := p.obj.(type) {
		case *widget.Button:
			name = "button " + o.Text
		case *widget.Select:
			name = "picker " + o.Selected
		case *field:
			name = "field " + o.Text
		default:
			continue
		}
		checked++
		s := p.obj.Size()
		left, right := p.pos.X, p.pos.X+s.Width
		if left < -slack || right > size.Width+slack || s.Width <= 0 {
			t.Errorf("%q spans x %.0f–%.0f, outside the window 0–%.0f", name, left, right, size.Width)
		}
		if p.scrolled && (left < p.scrollLeft-slack || right > p.scrollRight+slack) {
			t.Errorf("%q spans x %.0f–%.0f, beside its scroller %.0f–%.0f", name, left, right, p.scrollLeft, p.scrollRight)
		}
		if !p.scrolled && (p.pos.Y < -slack || p.pos.Y+s.Height > size.Height+slack) {
			t.Errorf("%q spans y %.0f–%.0f, outside the window 0–%.0f", name, p.pos.Y, p.pos.Y+s.Height, size.Height)
		}
	}
	if checked == 0 {
		t.Error("no buttons found: the walk did not reach the screen")
	}
}

// selectTab opens the tab whose title starts with title.
func selectTab(t *testing.T, sh *Shell, title string) {
	t.Helper()
	for _, item := range sh.tabs.Items {
		if strings.HasPrefix(item.Text, title) {
			sh.tabs.Select(item)
			return
		}
	}
	t.Fatalf("no tab %q in %q", title, tabTitles(sh))
}

// firstChild is a child on the attendance list of today.
func firstChild(t *testing.T, sh *Shell) data.ID {
	t.Helper()
	if len(sh.attendance.list.Rows) == 0 {
		t.Fatal("the attendance list is empty")
	}
	return sh.attendance.list.Rows[0].Child.ID
}

// mainScreens opens each screen of the app on a signed-in manager's shell.
var mainScreens = []struct {
	name string
	open func(t *testing.T, sh *Shell)
}{
	{"signin", func(t *testing.T, sh *Shell) { sh.showSignIn() }},
	{"attendance", func(t *testing.T, sh *Shell) { selectTab(t, sh, lang.L("Attendance list")) }},
	{"approvals", func(t *testing.T, sh *Shell) { selectTab(t, sh, lang.L("Approve requests")) }},
	{"request", func(t *testing.T, sh *Shell) { sh.showRequestForm(sh.attendance.groupID, sh.store.Today()) }},
	{"childcard", func(t *testing.T, sh *Shell) {
		sh.showChildCard(firstChild(t, sh), sh.attendance.groupID, sh.store.Today(), cardCredit)
	}},
	{"childconsent", func(t *testing.T, sh *Shell) {
		sh.showChildCard(firstChild(t, sh), sh.attendance.groupID, sh.store.Today(), cardConsent)
	}},
	{"children", func(t *testing.T, sh *Shell) { selectTab(t, sh, lang.L("Children")) }},
	{"calendar", func(t *testing.T, sh *Shell) { selectTab(t, sh, lang.L("Calendar")) }},
	{"studydays", func(t *testing.T, sh *Shell) { selectTab(t, sh, lang.L("Study days")) }},
	{"consent", func(t *testing.T, sh *Shell) { selectTab(t, sh, lang.L("Photo consent")) }},
	{"export", func(t *testing.T, sh *Shell) { selectTab(t, sh, lang.L("Invoicing")) }},
	{"log", func(t *testing.T, sh *Shell) { selectTab(t, sh, lang.L("Log")) }},
}

// TestLayout_EveryScreenFitsEveryWindow opens each main screen at each
// window size: the window may be that small (no minimum above it), every
// action lies inside it, and the screen looks as its reference image in
// testdata/layout (a layout that breaks shows up as a changed image).
func TestLayout_EveryScreenFitsEveryWindow(t *testing.T) {
	for _, screen := range mainScreens {
		t.Run(screen.name, func(t *testing.T) {
			sh, _ := newTestShell(t, LanguageDutch)
			screen.open(t, sh)
			for _, size := range windowSizes {
				t.Run(fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), func(t *testing.T) {
					sh.window.Resize(size)
					settle(sh.window)

					room := sh.window.Content().Size()
					if min := sh.window.Content().MinSize(); min.Width > room.Width || min.Height > room.Height {
						t.Errorf("the screen needs at least %.0f×%.0f, the window gives %.0f×%.0f", min.Width, min.Height, room.Width, room.Height)
					}
					assertActionsInside(t, sh.window, size)
					test.AssertImageMatches(t, fmt.Sprintf("layout/%s-%.0fx%.0f.png", screen.name, size.Width, size.Height), sh.window.Canvas().Capture())
				})
			}
		})
	}
}

// TestLayout_AttendanceRowStacksOnATablet checks the two shapes of a child's
// row: one line on an office screen, name above big buttons on a portrait
// tablet, the buttons always a finger's size.
func TestLayout_AttendanceRowStacksOnATablet(t *testing.T) {
	for _, tc := range []struct {
		size    fyne.Size
		stacked bool
	}{{fyne.NewSize(1920, 1080), false}, {fyne.NewSize(800, 1280), true}} {
		sh, _ := newTestShell(t, LanguageDutch)
		sh.window.Resize(tc.size)
		settle(sh.window)
		row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
		below := absPos(t, sh.window, row.primary).Y >= absPos(t, sh.window, row.name).Y+row.name.Size().Height
		if below != tc.stacked {
			t.Errorf("at %.0f px wide the buttons stand below the name: %v, want %v", tc.size.Width, below, tc.stacked)
		}
		for name, b := range map[string]*widget.Button{"primary": row.primary, "times": row.times, "absent": row.absent, "note": row.note} {
			if s := b.Size(); s.Height < touchSize || s.Width < touchSize {
				t.Errorf("at %.0f px wide the %s button is %.0f×%.0f, want at least %.0f for a finger", tc.size.Width, name, s.Width, s.Height, touchSize)
			}
		}
	}
}

// absPos is where obj is in the window.
func absPos(t *testing.T, w fyne.Window, obj fyne.CanvasObject) fyne.Position {
	t.Helper()
	for _, p := range visibleObjects(w) {
		if p.obj == obj {
			return p.pos
		}
	}
	t.Fatal("the object is not shown")
	return fyne.Position{}
}

// TestLayout_NavigationBecomesAMenuOnATablet checks the manager's seven
// screens: tab buttons on an office screen, a menu of big buttons on a
// portrait tablet, which opens the chosen screen.
func TestLayout_NavigationBecomesAMenuOnATablet(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	nav := sh.tabs
	sh.window.Resize(fyne.NewSize(1920, 1080))
	settle(sh.window)
	if !nav.bar.Visible() || nav.compact.Visible() {
		t.Fatal("at 1920 px the tab buttons should show, not the menu")
	}

	sh.window.Resize(fyne.NewSize(800, 1280))
	settle(sh.window)
	if nav.bar.Visible() || !nav.compact.Visible() || nav.title.Text != "Aanwezigheidslijst" {
		t.Fatalf("at 800 px: tab buttons shown %v, menu shown %v, title %q", nav.bar.Visible(), nav.compact.Visible(), nav.title.Text)
	}
	test.Tap(nav.menu)
	menu := sh.window.Canvas().Overlays().Top()
	var log *widget.Button
	items := 0
	for _, o := range test.LaidOutObjects(menu) {
		if b, ok := o.(*widget.Button); ok {
			items++
			if b.Size().Height < touchSize {
				t.Errorf("menu item %q is %.0f high, want at least %.0f", b.Text, b.Size().Height, touchSize)
			}
			if b.Text == "Logboek" {
				log = b
			}
		}
	}
	if items != len(nav.Items)+1 || log == nil {
		t.Fatalf("the menu has %d buttons (want every screen and Cancel) and Logboek: %v", items, log != nil)
	}
	test.Tap(log)
	if sh.window.Canvas().Overlays().Top() != nil || nav.Selected().Text != "Logboek" || nav.title.Text != "Logboek" {
		t.Fatalf("after choosing Logboek: menu open %v, screen %q", sh.window.Canvas().Overlays().Top() != nil, nav.Selected().Text)
	}
	test.Tap(nav.menu)
	pressKey(sh.window, fyne.KeyEscape)
	if sh.window.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the menu open")
	}
}
