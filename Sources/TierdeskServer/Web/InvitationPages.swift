import Foundation
import Hummingbird
import Mustache
import TierdeskCore

/// `/invite/{secret}`: an invited person chooses their password; the link works once, until it expires.
struct InvitationPages {
    let templates: MustacheLibrary
    let desk: InvitationDesk
    let login: LoginPages

    struct InviteView {
        var title = "Choose your password"
        var user: UserView? = nil
        var notice: String? = nil
        var error: String?
        var name: String?
        var email: String?
        var formCsrf: String
        var action = ""
        var refusals: [String: String] = [:]
    }

    struct AcceptForm: Decodable {
        var csrf: String
        var password: String
        var repeated: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", password, repeated }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/invite/:secret") { request, context in
            let secret = try context.pathParameter("secret")
            let token = request.cookies[LoginPages.loginCSRFCookie]?.value ?? Secrets.token()
            let view: InviteView
            switch try await desk.invitee(secret: secret) {
            case .success(let person):
                view = InviteView(name: person.name, email: person.email, formCsrf: token)
            case .failure(let refusal):
                view = InviteView(error: refusal.message, formCsrf: token)
            }
            return try page(view, secret: secret, token: token, status: view.name == nil ? .gone : .ok)
        }
        router.post("/invite/:secret") { request, context in
            let secret = try context.pathParameter("secret")
            let form = try await WebForm.decode(AcceptForm.self, from: request)
            let token = request.cookies[LoginPages.loginCSRFCookie]?.value ?? ""
            guard !token.isEmpty, Secrets.constantTimeEqual(token, form.csrf) else {
                return try page(
                    InviteView(error: "The form expired. Please try again.", formCsrf: Secrets.token()),
                    secret: secret,
                    token: nil,
                    status: .forbidden
                )
            }
            let person: Person
            do {
                switch try await desk.accept(secret: secret, password: form.password, repeated: form.repeated) {
                case .success(let invited): person = invited
                case .failure(let refusal):
                    return try page(
                        InviteView(error: refusal.message, formCsrf: token),
                        secret: secret,
                        token: token,
                        status: .gone
                    )
                }
            } catch let error as TierdeskError {
                let problem = Problem(error)
                var kept = KeptForm()
                _ = kept.refuse(problem, form: "invite", words: [:])
                let invitee = try? await desk.invitee(secret: secret).get()
                return try page(
                    InviteView(
                        error: "Your password was not set: see below.",
                        name: invitee?.name,
                        email: invitee?.email,
                        formCsrf: token,
                        refusals: kept.refusals
                    ),
                    secret: secret,
                    token: token,
                    status: problem.status
                )
            }
            var response = Response.redirect(
                to: "/login?welcome="
                    + (person.email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                type: .normal
            )
            response.setCookie(login.cookie(LoginPages.loginCSRFCookie, "", maxAge: 0))
            return response
        }
    }

    private func page(_ view: InviteView, secret: String, token: String?, status: HTTPResponse.Status) throws
        -> Response
    {
        var view = view
        view.action = "/invite/\(secret)"
        var response = try Templates.page(templates, "invite", view, status: status)
        if let token { response.setCookie(login.cookie(LoginPages.loginCSRFCookie, token, maxAge: 3600)) }
        return response
    }
}
