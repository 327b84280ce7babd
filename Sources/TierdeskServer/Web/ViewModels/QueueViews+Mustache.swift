import Mustache

// The queue pages render a row per ticket and an option per status and priority. Mustache finds a value
// by reflection (`Mirror`) unless the view names its values itself; these views do, which takes most of
// the rendering time off a queue page.

extension TicketRowView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "reference": reference
        case "link": link
        case "title": title
        case "priority": priority
        case "severity": severity
        case "status": status
        case "tier": tier
        case "groupName": groupName
        case "organisation": organisation
        case "owner": owner
        case "updated": updated
        case "updatedISO": updatedISO
        case "deadline": deadline
        case "deadlineISO": deadlineISO
        case "overdue": overdue
        case "neededBy": neededBy
        case "shortNotice": shortNotice
        default: nil
        }
    }
}

extension OptionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

extension ConsolePages.QueueLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "tier": tier
        case "count": count
        case "current": current
        default: nil
        }
    }
}

extension ConsolePages.GroupLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "link": link
        case "count": count
        case "current": current
        default: nil
        }
    }
}

extension ConsolePages.ConsoleView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "heading": heading
        case "user": user
        case "notice": notice
        case "error": error
        case "queues": queues
        case "groups": groups
        case "hasGroups": hasGroups
        case "action": action
        case "tierFilter": tierFilter
        case "anyStatus": anyStatus
        case "statuses": statuses
        case "priorities": priorities
        case "group": group
        case "q": q
        case "mine": mine
        case "tickets": tickets
        case "hasTickets": hasTickets
        case "nextLink": nextLink
        case "selectable": selectable
        case "csrf": csrf
        case "back": back
        case "bulkStatuses": bulkStatuses
        case "views": views
        case "hasViews": hasViews
        case "currentView": currentView
        default: nil
        }
    }
}

extension UserView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "tier": tier
        case "isStaff": isStaff
        case "isCustomer": isCustomer
        case "isAdmin": isAdmin
        case "csrf": csrf
        case "timeZone": timeZone
        case "unread": unread
        default: nil
        }
    }
}
