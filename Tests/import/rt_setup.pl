#!/usr/bin/perl
# Prepares a fresh Request Tracker 5 database for the import test, through RT's own API: two queues, a
# ticket custom field, two privileged agents who may own tickets, requesters in five organisations, and
# an authentication token for root. Prints the token.
use strict;
use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT;
RT::LoadConfig();
RT::Init();

my $system = RT->SystemUser;
sub check { my ($ok, $msg) = @_; die "$msg\n" unless $ok; return $ok }

for my $name ('Hardware', 'Network') {
    my $queue = RT::Queue->new($system);
    check($queue->Create(Name => $name, Description => "$name support"));
}

my $field = RT::CustomField->new($system);
check($field->Create(Name => 'Affected System', Type => 'FreeformSingle', LookupType => 'RT::Queue-RT::Ticket'));
check($field->AddToObject(RT::Queue->new($system)));    # every queue

my $privileged = RT::Group->new($system);
$privileged->LoadSystemInternalGroup('Privileged');
for my $right ('OwnTicket', 'ShowTicket', 'SeeQueue', 'ReplyToTicket', 'CommentOnTicket', 'ModifyTicket') {
    check($privileged->PrincipalObj->GrantRight(Right => $right, Object => RT->System));
}
for my $agent (['alice', 'Alice Agent'], ['bob', 'Bob Engineer']) {
    my $user = RT::User->new($system);
    check($user->Create(Name => $agent->[0], RealName => $agent->[1], EmailAddress => "$agent->[0]\@desk.example",
        Privileged => 1));
}
for my $org (1 .. 5) {
    for my $person (1 .. 8) {
        my $user = RT::User->new($system);
        check($user->Create(Name => "user$person\@org$org.example", EmailAddress => "user$person\@org$org.example",
            RealName => "User $person of Org $org", Organization => "Org $org"));
    }
}

my $root = RT::User->new($system);
$root->Load('root');
my $token = RT::AuthToken->new(RT::CurrentUser->new($root));
my ($ok, $msg, $secret) = $token->Create(Owner => $root->Id, Description => 'import test');
die "$msg\n" unless $ok;
print "$secret\n";
