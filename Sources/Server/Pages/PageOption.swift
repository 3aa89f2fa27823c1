import Documents
import Foundation

/// One `<option>` of a page's select: its value, its label, whether it is chosen.
struct PageOption: Sendable, Equatable {
    let value: String
    let label: String
    let selected: Bool

    /// The nine categories, `selected` chosen, optionally after an "All categories" entry with value "".
    static func categories(selected: String?, includingAll: Bool) -> [PageOption] {
        let all = includingAll ? [PageOption(value: "", label: "All categories", selected: selected == nil)] : []
        return all + FileCategory.allCases.map { PageOption(value: $0.rawValue, label: label(of: $0), selected: $0.rawValue == selected) }
    }

    /// "Medical records" for `medical-records`.
    static func label(of category: FileCategory) -> String {
        let words = category.rawValue.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
