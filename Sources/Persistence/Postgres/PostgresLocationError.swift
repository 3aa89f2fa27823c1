/// Why a `DATABASE_URL` cannot be used; the message never repeats the URL, which may hold a password.
package enum PostgresLocationError: Error, Equatable, CustomStringConvertible {
    /// The URL breaks the expected form; the associated text says how.
    case malformed(String)

    /// `DATABASE_URL <what is wrong>`.
    package var description: String {
        switch self {
        case .malformed(let problem): "DATABASE_URL \(problem)"
        }
    }
}
