// One comment per pull request: find the bot's comment by its hidden marker and update it, or create it.
import { step, type GitHub } from './client.ts';

export interface UpsertCommentOptions {
  owner: string;
  repo: string;
  /** The pull request's number (pull requests are issues for comments). */
  issueNumber: number;
  body: string;
  /** Text that identifies the comment, e.g. an HTML comment; the body must contain it. */
  marker: string;
  /** Only a comment by this login is updated (default github-actions[bot]), never one a person wrote. */
  author?: string;
}

export async function upsertComment(
  github: GitHub,
  options: UpsertCommentOptions,
): Promise<{ action: 'created' | 'updated'; id: number; url: string }> {
  if (!options.body.includes(options.marker))
    throw new Error('the comment body must contain its marker, or the next run could not find it');
  const author = options.author ?? 'github-actions[bot]';
  const where = `${options.owner}/${options.repo}#${options.issueNumber}`;
  const comments = await step(`list the comments of ${where}`, () =>
    github.paginate(github.rest.issues.listComments, {
      owner: options.owner,
      repo: options.repo,
      issue_number: options.issueNumber,
      per_page: 100,
    }),
  );
  const mine = comments.find((c) => c.user?.login === author && (c.body ?? '').includes(options.marker));
  if (mine) {
    const { data } = await step(`update comment ${mine.id} on ${where}`, () =>
      github.rest.issues.updateComment({
        owner: options.owner,
        repo: options.repo,
        comment_id: mine.id,
        body: options.body,
      }),
    );
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await step(`comment on ${where}`, () =>
    github.rest.issues.createComment({
      owner: options.owner,
      repo: options.repo,
      issue_number: options.issueNumber,
      body: options.body,
    }),
  );
  return { action: 'created', id: data.id, url: data.html_url };
}
