import Foundation
import Hummingbird
import TierdeskCore

/// Log in and out of the web console and portal.
enum LoginPages {
    static let loginCSRFCookie = "tierdesk_login_csrf"
    /// A session lasts twelve hours.
    static let sessionLifetime: TimeInterval = 12 * 3600
    /// Failed logins are counted over fifteen minutes…
    static let throttleWindow: TimeInterval = 15 * 60
    /// …and more than this many for one account, or four times as many from one address, lock logins out.
    static let maxFailuresPerAccount = 5

    struct LoginView {
        var title = "Log in"
        var loginCsrf: String
        var email: String
        var error: String?
        var user: UserView? = nil
        var notice: String? = nil
    }

    struct LoginForm: Decodable {
        var csrf: String
        var email: String
        var password: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", email, password }
    }

    static func register(_ router: Router<TierdeskRequestContext>, _ environment: TierdeskEnvironment) {
        router.get("/login") { request, context in
            if context.identity != nil { return Response.redirect(to: "/", type: .normal) }
            let token = request.cookies[loginCSRFCookie]?.value ?? Secrets.token()
            var response = try Templates.page(environment.templates, "login", LoginView(loginCsrf: token, email: ""))
            response.setCookie(cookie(loginCSRFCookie, token, environment: environment, maxAge: 3600))
            return response
        }

        router.post("/login") { request, context in
            let form = try await WebForm.decode(LoginForm.self, from: request)
            let cookieToken = request.cookies[loginCSRFCookie]?.value ?? ""
            func retry(_ message: String, _ status: HTTPResponse.Status) throws -> Response {
                let token = cookieToken.isEmpty ? Secrets.token() : cookieToken
                var response = try Templates.page(environment.templates, "login", LoginView(loginCsrf: token, email: String(form.email.prefix(254)), error: message), status: status)
                response.setCookie(cookie(loginCSRFCookie, token, environment: environment, maxAge: 3600))
                return response
            }
            guard !cookieToken.isEmpty, Secrets.constantTimeEqual(cookieToken, form.csrf) else {
                return try retry("The login form expired. Please try again.", .forbidden)
            }
            let now = environment.clock.now()
            let email = Person.normalisedEmail(String(form.email.prefix(254)))
            let accountKey = "account:" + email
            let addressKey = "address:" + context.clientAddress
            let credentials = environment.credentials
            // Each attempt is counted before its password is checked, atomically and in the database, so
            // guesses sent at once (or to several instances) cannot all slip under the limit.
            let accountAttempts = try await credentials.countAttempt(key: accountKey, window: throttleWindow, at: now)
            let addressAttempts = try await credentials.countAttempt(key: addressKey, window: throttleWindow, at: now)
            if accountAttempts > maxFailuresPerAccount || addressAttempts > maxFailuresPerAccount * 4 {
                return try retry("Too many failed logins. Wait 15 minutes, then try again.", .tooManyRequests)
            }
            let found = try await environment.directory.credentials(email: email)
            let password = String(form.password.prefix(1024))
            // Without a stored hash the random one is checked, so the answer takes as long and is always no.
            let valid = try await environment.passwords.verify(password, hash: found?.1 ?? environment.unknownAccountHash)
            guard valid, let (person, _) = found, person.active else {
                return try retry("The e-mail address or the password is wrong.", .unauthorized)
            }
            try await credentials.clearFailures(key: accountKey)
            try await credentials.releaseAttempt(key: addressKey)
            let token = Secrets.token()
            try await credentials.createSession(tokenHash: Secrets.hash(token), personID: person.id, csrfToken: Secrets.token(), at: now, expiresAt: now.addingTimeInterval(sessionLifetime))
            var response = Response.redirect(to: person.actor.isStaff ? "/console" : "/portal", type: .normal)
            response.setCookie(cookie(AuthenticationMiddleware.sessionCookie, token, environment: environment, maxAge: Int(sessionLifetime)))
            response.setCookie(cookie(loginCSRFCookie, "", environment: environment, maxAge: 0))
            return response
        }

        router.post("/logout") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            if case .session(let hash, _) = identity.proof {
                try await environment.credentials.deleteSession(tokenHash: hash)
            }
            var response = Response.redirect(to: "/login", type: .normal)
            response.setCookie(cookie(AuthenticationMiddleware.sessionCookie, "", environment: environment, maxAge: 0))
            return response
        }
    }

    /// HttpOnly, SameSite=Lax, Secure behind TLS.
    static func cookie(_ name: String, _ value: String, environment: TierdeskEnvironment, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: environment.secureCookies, httpOnly: true, sameSite: .lax)
    }
}
