package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// navigation switches between the screens of the signed-in role. Where
// every screen's button fits in one row, it shows that row of big tab
// buttons; on a narrower window (a portrait tablet) one menu button with the
// open screen's title, whose menu lists every screen as a big button. Tab
// buttons of Fyne's AppTabs would be small, and its overflow menu smaller.
//
// Add screens with Append; Items, Select, SelectIndex, Selected, OnSelected
// and Refresh work as on container.AppTabs.
type navigation struct {
	Items []*container.TabItem
	// OnSelected runs when another screen is chosen.
	OnSelected func(*container.TabItem)

	window   fyne.Window
	selected int
	buttons  []*widget.Button
	bar      *fyne.Container // the row of tab buttons
	menu     *widget.Button
	title    *widget.Label
	compact  *fyne.Container // the menu button and the title
	content  *fyne.Container // the open screen
	// trailing ends the header row where there is room (who is signed in).
	trailing *fyne.Container
	object   fyne.CanvasObject
}

// newNavigation makes the navigation; trailing (may be empty) goes at the
// end of its header row, or above it where the tab buttons need the row.
func newNavigation(w fyne.Window, trailing ...fyne.CanvasObject) *navigation {
	n := &navigation{window: w, selected: -1, trailing: container.NewHBox(trailing...)}
	n.bar = container.NewHBox()
	var menuBox fyne.CanvasObject
	n.menu, menuBox = newTouchButton(lang.L("Menu"), theme.MenuIcon(), n.showMenu)
	n.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	n.compact = container.NewBorder(nil, nil, menuBox, nil, container.NewVBox(layout.NewSpacer(), n.title, layout.NewSpacer()))
	n.content = container.NewStack()
	n.object = container.New(&navigationLayout{n}, n.bar, n.compact, n.trailing, n.content)
	return n
}

// Append adds a screen at the end.
func (n *navigation) Append(item *container.TabItem) {
	i := len(n.Items)
	n.Items = append(n.Items, item)
	b, box := newTouchButton(item.Text, item.Icon, func() { n.SelectIndex(i) })
	n.buttons = append(n.buttons, b)
	n.bar.Add(box)
	if n.selected < 0 {
		n.SelectIndex(0)
	}
}

// Select opens item's screen.
func (n *navigation) Select(item *container.TabItem) {
	for i, it := range n.Items {
		if it == item {
			n.SelectIndex(i)
		}
	}
}

// SelectIndex opens the i-th screen.
func (n *navigation) SelectIndex(i int) {
	if i < 0 || i >= len(n.Items) || i == n.selected {
		return
	}
	n.selected = i
	// Only the open screen is in the window, as with AppTabs.
	n.content.Objects = []fyne.CanvasObject{n.Items[i].Content}
	n.Refresh()
	if n.OnSelected != nil {
		n.OnSelected(n.Items[i])
	}
}

// Selected is the open screen's item, nil before any.
func (n *navigation) Selected() *container.TabItem {
	if n.selected < 0 {
		return nil
	}
	return n.Items[n.selected]
}

// Refresh shows the items' titles as they are now (a count may have changed).
func (n *navigation) Refresh() {
	for i, b := range n.buttons {
		b.Text = n.Items[i].Text
		b.Importance = widget.MediumImportance
		if i == n.selected {
			b.Importance = widget.HighImportance
			n.title.SetText(n.Items[i].Text)
		}
		b.Refresh()
	}
	n.object.Refresh()
}

// showMenu lists every screen as a big button; Cancel or Escape closes it.
func (n *navigation) showMenu() {
	var popup *widget.PopUp
	var pop func()
	hide := func() {
		pop()
		popup.Hide()
	}
	list := container.NewVBox()
	for i, it := range n.Items {
		b, box := newTouchButton(it.Text, it.Icon, func() {
			hide()
			n.SelectIndex(i)
		})
		b.Alignment = widget.ButtonAlignLeading
		if i == n.selected {
			b.Importance = widget.HighImportance
		}
		list.Add(container.New(minSizeLayout{fyne.NewSize(320, touchSize)}, box))
	}
	_, cancel := newTouchButton(lang.L("Cancel"), theme.CancelIcon(), hide)
	list.Add(cancel)
	popup = widget.NewModalPopUp(list, n.window.Canvas())
	pop = pushKeys(n.window.Canvas(), &dialogKeys{cancel: hide})
	popup.Show()
}

// navigationLayout puts the tab buttons, or the menu button where they do
// not fit, above the open screen, with the trailing part beside them where
// it fits and above them where not.
type navigationLayout struct{ n *navigation }

func (l *navigationLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	n, pad := l.n, theme.Padding()
	bar, trail := n.bar.MinSize(), n.trailing.MinSize()
	header, other := fyne.CanvasObject(n.compact), fyne.CanvasObject(n.bar)
	if bar.Width <= size.Width {
		header, other = n.bar, n.compact
	}
	other.Hide()
	header.Show()
	y := float32(0)
	headerMin := header.MinSize()
	besides := header == n.compact || headerMin.Width+pad+trail.Width <= size.Width
	if !besides { // the tab buttons need the whole row: who is signed in goes above
		n.trailing.Move(fyne.NewPos(size.Width-trail.Width, 0))
		n.trailing.Resize(trail)
		y = trail.Height + pad
	}
	rowHeight := headerMin.Height
	headerWidth := size.Width
	if besides {
		rowHeight = fyne.Max(rowHeight, trail.Height)
		trailWidth := fyne.Min(trail.Width, size.Width-headerMin.Width-pad)
		if header == n.compact {
			// The title gives way to who is signed in, down to the menu button.
			trailWidth = fyne.Min(trail.Width, size.Width-touchSize*2-pad)
		}
		n.trailing.Move(fyne.NewPos(size.Width-trailWidth, 0))
		n.trailing.Resize(fyne.NewSize(trailWidth, rowHeight))
		headerWidth = size.Width - trailWidth - pad
	}
	header.Move(fyne.NewPos(0, y))
	header.Resize(fyne.NewSize(headerWidth, rowHeight))
	top := y + rowHeight + pad
	n.content.Move(fyne.NewPos(0, top))
	n.content.Resize(fyne.NewSize(size.Width, size.Height-top))
	// The other screens keep the size they will open at.
	for _, it := range n.Items {
		it.Content.Resize(n.content.Size())
	}
}

// MinSize is that of the menu button and the trailing part above the widest
// screen: the tab buttons give way on a narrow window.
func (l *navigationLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	content := l.n.content.MinSize()
	header := l.n.compact.MinSize().Max(l.n.trailing.MinSize())
	return fyne.NewSize(fyne.Max(header.Width, content.Width), header.Height+theme.Padding()+content.Height)
}
