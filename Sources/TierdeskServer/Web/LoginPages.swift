import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// Log in and out of the web console and portal.
struct LoginPages {
    let sessions: SessionDesk
    let templates: MustacheLibrary
    let secureCookies: Bool

    static let loginCSRFCookie = "tierdesk_login_csrf"

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

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/login") { request, context in
            if context.identity != nil { return Response.redirect(to: "/", type: .normal) }
            let token = request.cookies[Self.loginCSRFCookie]?.value ?? Secrets.token()
            // After choosing a password from an invitation: the address is filled in.
            let welcome = request.uri.queryParameters.get("welcome").map { String($0.prefix(254)) }
            var response = try Templates.page(
                templates,
                "login",
                LoginView(
                    loginCsrf: token,
                    email: welcome ?? "",
                    notice: welcome.map { _ in "Your password is set. Log in with it." }
                )
            )
            response.setCookie(cookie(Self.loginCSRFCookie, token, maxAge: 3600))
            return response
        }

        router.post("/login") { request, context in
            let form = try await WebForm.decode(LoginForm.self, from: request)
            let cookieToken = request.cookies[Self.loginCSRFCookie]?.value ?? ""
            func retry(_ message: String, _ status: HTTPResponse.Status) throws -> Response {
                let token = cookieToken.isEmpty ? Secrets.token() : cookieToken
                var response = try Templates.page(
                    templates,
                    "login",
                    LoginView(loginCsrf: token, email: String(form.email.prefix(254)), error: message),
                    status: status
                )
                response.setCookie(cookie(Self.loginCSRFCookie, token, maxAge: 3600))
                return response
            }
            guard !cookieToken.isEmpty, Secrets.constantTimeEqual(cookieToken, form.csrf) else {
                return try retry("The login form expired. Please try again.", .forbidden)
            }
            let session: SessionDesk.NewSession
            do {
                session = try await sessions.logIn(
                    email: form.email,
                    password: form.password,
                    from: context.clientAddress
                )
            } catch SessionDesk.Refusal.throttled {
                return try retry("Too many failed logins. Wait 15 minutes, then try again.", .tooManyRequests)
            } catch SessionDesk.Refusal.wrongCredentials {
                return try retry("The e-mail address or the password is wrong.", .unauthorized)
            }
            let (person, token) = (session.person, session.token)
            var response = Response.redirect(to: person.actor.isStaff ? "/console" : "/portal", type: .normal)
            response.setCookie(
                cookie(AuthenticationMiddleware.sessionCookie, token, maxAge: Int(SessionDesk.sessionLifetime))
            )
            response.setCookie(cookie(Self.loginCSRFCookie, "", maxAge: 0))
            return response
        }

        router.post("/logout") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            if case .session(let hash, _) = identity.proof {
                try await sessions.logOut(tokenHash: hash)
            }
            var response = Response.redirect(to: "/login", type: .normal)
            response.setCookie(cookie(AuthenticationMiddleware.sessionCookie, "", maxAge: 0))
            return response
        }
    }

    /// HttpOnly, SameSite=Lax, Secure behind TLS.
    func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: name,
            value: value,
            maxAge: maxAge,
            path: "/",
            secure: secureCookies,
            httpOnly: true,
            sameSite: .lax
        )
    }
}
